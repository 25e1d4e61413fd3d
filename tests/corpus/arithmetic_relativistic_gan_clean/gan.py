"""The RaGAN losses written correctly: BCEWithLogitsLoss on the relative scores, and
BCELoss only after a sigmoid of them."""

import torch
import torch.nn as nn


class Discriminator(nn.Module):
    def __init__(self, in_dim):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(in_dim, 512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 1),
        )

    def forward(self, x):
        return self.net(x).view(-1)


def discriminator_step(G, real, z, in_dim=784):
    D = Discriminator(in_dim)
    optimizer = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    adversarial = nn.BCEWithLogitsLoss()
    fake = G(z).detach()
    d_real = D(real)
    d_fake = D(fake)
    valid = torch.ones_like(d_real)
    invalid = torch.zeros_like(d_fake)
    loss_real = adversarial(d_real - d_fake.mean(), valid)
    loss_fake = adversarial(d_fake - d_real.mean(), invalid)
    loss = (loss_real + loss_fake) / 2
    with torch.no_grad():
        realness = torch.sigmoid(d_real - d_fake.mean()).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), realness.item()
