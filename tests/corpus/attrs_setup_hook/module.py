"""A Lightning-style module whose loss is made in `setup`, the one method that sets it."""

import torch
import torch.nn as nn


class LitSegmentation(nn.Module):
    def __init__(self, channels=3, lr=1e-3):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU())
        self.decoder = nn.Conv2d(32, 1, 1)
        self.lr = lr

    def setup(self, stage=None):
        self.loss_fn = nn.BCEWithLogitsLoss()

    def forward(self, x):
        return torch.sigmoid(self.decoder(self.encoder(x)))

    def training_step(self, batch, batch_idx):
        images, masks = batch
        preds = self(images)
        loss = self.loss_fn(preds, masks)  # expect: LL002
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)
