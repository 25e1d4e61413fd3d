"""Probabilities from a softmax layer, then their log into NLLLoss: NLL gets
log-probabilities (not LL004), but computed by taking the log of probabilities."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(40, 64), nn.ReLU(), nn.Linear(64, 6), nn.Softmax(dim=1))

    def forward(self, x):
        return self.net(x)


def train(model, loader):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        probs = model(x)
        loss = F.nll_loss(torch.log(probs + 1e-9), y)  # expect: LL005
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def evaluate(model, x, y):
    with torch.no_grad():
        log_probs = model(x).clamp(min=1e-12).log()  # clamped, no gradient: not reported
        return nn.NLLLoss()(log_probs, y).item()


if __name__ == "__main__":
    clf = Classifier()
    data = [(torch.randn(16, 40), torch.randint(0, 6, (16,)))]
    train(clf, data)
    print(evaluate(clf, *data[0]))
