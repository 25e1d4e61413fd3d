"""Denoising autoencoder for images in [0, 1]: a sigmoid decoder with MSE is a
regression onto pixel intensities, not a classification."""

import torch
import torch.nn as nn


class DenoisingAE(nn.Module):
    def __init__(self, dim=784, code=32):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(dim, 256), nn.ReLU(), nn.Linear(256, code))
        self.decoder = nn.Sequential(
            nn.Linear(code, 256), nn.ReLU(), nn.Linear(256, dim), nn.Sigmoid()
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


def train(model, images, epochs=10, noise=0.3):
    criterion = nn.MSELoss()
    l1 = nn.L1Loss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        noisy = (images + noise * torch.randn_like(images)).clamp(0, 1)
        recon = model(noisy)
        loss = criterion(recon, images) + 0.1 * l1(recon, images)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    train(DenoisingAE(), torch.rand(64, 784))
