"""A GAN using BCEWithLogitsLoss on raw discriminator scores; D(x) is reported as a
probability with a sigmoid that never reaches a loss."""

import torch
import torch.nn as nn


def make_discriminator(dim):
    return nn.Sequential(nn.Linear(dim, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))


def make_generator(z_dim, dim):
    return nn.Sequential(nn.Linear(z_dim, 128), nn.ReLU(), nn.Linear(128, dim))


class GANTrainer:
    def __init__(self, dim=2, z_dim=8):
        self.z_dim = z_dim
        self.D = make_discriminator(dim)
        self.G = make_generator(z_dim, dim)
        self.adv = nn.BCEWithLogitsLoss()
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=1e-3)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=1e-3)

    def step(self, real):
        n = real.size(0)
        fake = self.G(torch.randn(n, self.z_dim))

        real_scores = self.D(real)
        fake_scores = self.D(fake.detach())
        d_loss = self.adv(real_scores, torch.ones_like(real_scores)) + self.adv(
            fake_scores, torch.zeros_like(fake_scores)
        )
        self.opt_d.zero_grad()
        d_loss.backward()
        self.opt_d.step()

        gen_scores = self.D(fake)
        g_loss = self.adv(gen_scores, torch.ones_like(gen_scores))
        self.opt_g.zero_grad()
        g_loss.backward()
        self.opt_g.step()

        d_x = torch.sigmoid(real_scores).mean().item()
        return d_loss.item(), g_loss.item(), d_x


if __name__ == "__main__":
    trainer = GANTrainer()
    for _ in range(10):
        print(trainer.step(torch.randn(64, 2) * 0.5 + 1.0))
