"""Vanilla GAN with the losses of Goodfellow et al. (2014), written as in the paper."""

import torch
import torch.nn as nn
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
    def __init__(self, img_dim=784):
        super().__init__()
        self.model = nn.Sequential(
            nn.Linear(img_dim, 256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 1),
            nn.Sigmoid(),
        )

    def forward(self, img):
        return self.model(img.view(img.size(0), -1))


EPS = 1e-12


def train(epochs=50, latent_dim=100, device="cuda"):
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
    loader = DataLoader(datasets.MNIST("data", download=True, transform=tf), batch_size=64)
    generator = Generator(latent_dim).to(device)
    discriminator = Discriminator().to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    for epoch in range(epochs):
        for real, _ in loader:
            real = real.to(device)
            z = torch.randn(real.size(0), latent_dim, device=device)
            fake = generator(z)

            # max log D(x) + log(1 - D(G(z)))
            d_real = discriminator(real)
            d_fake = discriminator(fake.detach())
            real_term = torch.log(d_real + EPS)  # expect: LL005
            fake_term = torch.log(1 - d_fake + EPS)  # expect: LL005
            loss_d = -(real_term + fake_term).mean()
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()

            # min log(1 - D(G(z))): the saturating generator loss
            loss_g = torch.log(1.0 - discriminator(fake)).mean()  # expect: LL005
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
        print(f"epoch {epoch}: D {loss_d.item():.3f} G {loss_g.item():.3f}")


if __name__ == "__main__":
    train()
