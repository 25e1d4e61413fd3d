import torch
import torch.nn.functional as F

from .nets import Critic, MLPGenerator


def train(loader, steps=1000, z_dim=64):
    critic, gen = Critic(), MLPGenerator(z_dim)
    opt_c = torch.optim.Adam(critic.parameters(), lr=1e-4)
    opt_g = torch.optim.Adam(gen.parameters(), lr=1e-4)
    for step, real in zip(range(steps), loader):
        z = torch.randn(real.size(0), z_dim)
        fake = gen(z)
        ones = torch.ones(real.size(0), 1)
        zeros = torch.zeros(real.size(0), 1)

        d_real = critic(real)
        d_fake = critic(fake.detach())
        loss_c = F.binary_cross_entropy(d_real, ones) + F.binary_cross_entropy(d_fake, zeros)  # expect: LL007
        opt_c.zero_grad()
        loss_c.backward()
        opt_c.step()

        loss_g = F.binary_cross_entropy(critic(fake), ones)  # expect: LL007
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
