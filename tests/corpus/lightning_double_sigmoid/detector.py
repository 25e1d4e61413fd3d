"""Binary anomaly detector in Lightning: the model already ends in a sigmoid and the
step applies BCE-with-logits, which applies another."""

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F


class AnomalyDetector(L.LightningModule):
    def __init__(self, window=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2),
            nn.ReLU(),
            nn.AdaptiveAvgPool1d(1),
            nn.Flatten(),
            nn.Linear(16, 1),
            nn.Sigmoid(),
        )
        self.pos_weight = torch.tensor([10.0])

    def forward(self, x):
        return self.net(x.unsqueeze(1)).squeeze(-1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        scores = self(x)
        loss = F.binary_cross_entropy_with_logits(scores, y, pos_weight=self.pos_weight)  # expect: LL002
        self.log("train_loss", loss)
        return loss

    def test_step(self, batch, batch_idx):
        x, y = batch
        self.log("test_acc", ((self(x) > 0.5).float() == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
