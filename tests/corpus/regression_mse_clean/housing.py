"""Tabular regression: MSE and Huber on real-valued targets, with an argmax that is
only used to pick the best checkpoint."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class PriceModel(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(features, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)
        )

    def forward(self, x):
        return self.net(x).squeeze(-1)


def fit(model, x, y, epochs=50):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.MSELoss()
    history = []
    for _ in range(epochs):
        pred = model(x)
        loss = criterion(pred, y)
        robust = F.huber_loss(pred, y, delta=2.0)
        optimizer.zero_grad()
        (loss + 0.1 * robust).backward()
        optimizer.step()
        history.append(loss.item())
    best_epoch = torch.tensor(history).argmin().item()
    return best_epoch


def bounded_ratio(model, x, ratio):
    """A fraction in [0, 1] regressed with a sigmoid output: MSE is the intended loss."""
    pred = torch.sigmoid(model(x))
    return F.mse_loss(pred, ratio)


if __name__ == "__main__":
    m = PriceModel(8)
    print(fit(m, torch.randn(128, 8), torch.randn(128)))
    print(bounded_ratio(m, torch.randn(4, 8), torch.rand(4)))
