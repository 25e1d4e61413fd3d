"""Relativistic average GAN (RaGAN): the discriminator's raw scores minus the mean
score of the other batch are logits; this trainer feeds them to BCELoss."""

import torch
import torch.nn as nn


class Discriminator(nn.Module):
    def __init__(self, in_dim):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(in_dim, 512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 1),
        )

    def forward(self, x):
        return self.net(x).view(-1)


def discriminator_step(G, real, z, in_dim=784):
    D = Discriminator(in_dim)
    optimizer = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    criterion = nn.BCELoss()
    fake = G(z).detach()
    d_real = D(real)
    d_fake = D(fake)
    valid = torch.ones_like(d_real)
    invalid = torch.zeros_like(d_fake)
    loss_real = criterion(d_real - d_fake.mean(), valid)  # expect: LL007
    loss_fake = criterion(d_fake - torch.mean(d_real), invalid)  # expect: LL007
    loss = (loss_real + loss_fake) / 2
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
