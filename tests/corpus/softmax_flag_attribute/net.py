"""A model whose softmax is switched by a constructor flag that defaults to on."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, in_dim=16, classes=4, apply_softmax=True):
        super().__init__()
        self.fc = nn.Linear(in_dim, classes)
        self.apply_softmax = apply_softmax

    def forward(self, x):
        x = self.fc(x)
        if self.apply_softmax:
            x = F.softmax(x, dim=1)
        return x


def train(loader):
    model = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        loss = criterion(model(x), y)  # expect: LL001
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
