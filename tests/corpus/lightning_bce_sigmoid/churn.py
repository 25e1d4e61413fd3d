"""Customer churn prediction as a LightningModule with a sigmoid in forward."""

import pytorch_lightning as pl
import torch
import torch.nn as nn
import torch.nn.functional as F


class ChurnModel(pl.LightningModule):
    def __init__(self, n_features=24, lr=1e-3):
        super().__init__()
        self.lr = lr
        self.layers = nn.Sequential(
            nn.Linear(n_features, 64), nn.ReLU(), nn.BatchNorm1d(64), nn.Linear(64, 1)
        )
        self.loss_fn = nn.BCELoss()

    def forward(self, x):
        return torch.sigmoid(self.layers(x)).squeeze(-1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        y_hat = self(x)
        loss = self.loss_fn(y_hat, y.float())  # expect: LL006
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        y_hat = self(x)
        self.log("val_loss", F.binary_cross_entropy(y_hat, y.float()))  # expect: LL006
        self.log("val_acc", ((y_hat > 0.5) == y.bool()).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)
