"""Binary lesion segmentation with a sigmoid head and BCELoss."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class FCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU()
        )
        self.classifier = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        return self.classifier(self.encoder(x)).sigmoid()


def soft_dice(p, t, eps=1e-6):
    return 1 - (2 * (p * t).sum() + eps) / (p.sum() + t.sum() + eps)


def train_step(model, optimizer, scan, mask):
    optimizer.zero_grad()
    prob = model(scan)
    bce = F.binary_cross_entropy(prob, mask)  # expect: LL006
    loss = 0.5 * bce + 0.5 * soft_dice(prob, mask)
    loss.backward()
    optimizer.step()
    return loss.item()


def weighted_step(model, optimizer, scan, mask, weight):
    optimizer.zero_grad()
    criterion = nn.BCELoss(weight=weight)
    loss = criterion(model(scan).squeeze(1), mask.squeeze(1))  # expect: LL006
    loss.backward()
    optimizer.step()


if __name__ == "__main__":
    net = FCN()
    opt = torch.optim.Adam(net.parameters())
    scans, masks = torch.randn(2, 1, 32, 32), torch.rand(2, 1, 32, 32).round()
    print(train_step(net, opt, scans, masks))
    weighted_step(net, opt, scans, masks, weight=torch.tensor([1.0, 4.0]).view(2, 1, 1))
