"""A VAE whose decoder returns logits: Bernoulli likelihood via BCE-with-logits, the
sigmoid applied only to produce images."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvVAE(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.mu = nn.Linear(32 * 14 * 14, z)
        self.logvar = nn.Linear(32 * 14 * 14, z)
        self.dec_fc = nn.Linear(z, 32 * 14 * 14)
        self.dec = nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def decode_logits(self, z):
        h = F.relu(self.dec_fc(z)).view(-1, 32, 14, 14)
        return self.dec(h)

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.decode_logits(z), mu, logvar

    @torch.no_grad()
    def sample(self, n):
        return torch.sigmoid(self.decode_logits(torch.randn(n, self.mu.out_features)))


def elbo_loss(model, x, beta=1.0):
    logits, mu, logvar = model(x)
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.size(0)
    kl = -0.5 * torch.mean(torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1))
    return recon + beta * kl


if __name__ == "__main__":
    vae = ConvVAE()
    opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
    loss = elbo_loss(vae, torch.rand(8, 1, 28, 28))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(vae.sample(4).shape)
