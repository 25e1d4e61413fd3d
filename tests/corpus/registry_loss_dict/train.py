import torch
import torch.nn as nn

from losses import LOSSES, build_loss

CONFIG = {"loss": "ce", "lr": 0.01, "epochs": 2}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5))

    def forward(self, x):
        return torch.softmax(self.body(x), dim=1)


def train(loader):
    model = Net()
    criterion = build_loss("ce")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for x, y in loader:
        loss = criterion(model(x), y)  # expect: LL001
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train_direct(loader):
    model = Net()
    criterion = LOSSES["nll"](reduction="mean")
    for x, y in loader:
        loss = criterion(model(x), y)  # expect: LL004
        loss.backward()
