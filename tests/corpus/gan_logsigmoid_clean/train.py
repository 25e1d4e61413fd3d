"""Vanilla GAN, the paper's losses in log space: log D(x) = logsigmoid(d),
log(1 - D(G(z))) = logsigmoid(-d)."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class Generator(nn.Module):
    def __init__(self, latent_dim=100, img_dim=784):
        super().__init__()
        self.model = nn.Sequential(
            nn.Linear(latent_dim, 256),
            nn.ReLU(True),
            nn.Linear(256, img_dim),
            nn.Tanh(),
        )

    def forward(self, z):
        return self.model(z)


class Discriminator(nn.Module):
    """Returns logits: the losses take the sigmoid in log space."""

    def __init__(self, img_dim=784):
        super().__init__()
        self.model = nn.Sequential(
            nn.Linear(img_dim, 256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 1),
        )

    def forward(self, img):
        return self.model(img.view(img.size(0), -1))


def train(epochs=50, latent_dim=100, device="cuda", label_noise=0.1):
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
    loader = DataLoader(datasets.MNIST("data", download=True, transform=tf), batch_size=64)
    generator = Generator(latent_dim).to(device)
    discriminator = Discriminator().to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    # log of a constant's complement: no sigmoid involved.
    keep = torch.log(torch.tensor(1 - label_noise))
    for epoch in range(epochs):
        for real, _ in loader:
            real = real.to(device)
            z = torch.randn(real.size(0), latent_dim, device=device)
            fake = generator(z)

            d_real = discriminator(real)
            d_fake = discriminator(fake.detach())
            loss_d = -(F.logsigmoid(d_real) + F.logsigmoid(-d_fake)).mean() + keep
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()

            # The non-saturating generator loss: -log D(G(z)).
            loss_g = -F.logsigmoid(discriminator(fake)).mean()
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()

            # Monitoring only: the probability of "real" for fakes.
            with torch.no_grad():
                fooled = torch.sigmoid(discriminator(fake)).mean()
                confidence = 1 - fooled
        print(f"epoch {epoch}: D {loss_d.item():.3f} G {loss_g.item():.3f} {confidence:.2f}")


if __name__ == "__main__":
    train()
