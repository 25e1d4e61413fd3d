import torch.nn as nn


class Critic(nn.Module):
    """Started as a WGAN critic (no final activation), later switched to BCE."""

    def __init__(self, in_dim=784):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(in_dim, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1)
        )

    def forward(self, x):
        return self.body(x.flatten(1))


class MLPGenerator(nn.Module):
    def __init__(self, z_dim=64, out_dim=784):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(z_dim, 256), nn.ReLU(), nn.Linear(256, out_dim), nn.Tanh())

    def forward(self, z):
        return self.body(z)
