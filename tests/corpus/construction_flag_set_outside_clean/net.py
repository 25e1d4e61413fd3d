"""Flags with literal defaults that code outside the class, or a `global`, changes."""

import torch
import torch.nn as nn
import torch.nn.functional as F

USE_LOG_SOFTMAX = False


class Net(nn.Module):
    def __init__(self, in_dim=16, classes=4):
        super().__init__()
        self.fc = nn.Linear(in_dim, classes)
        self.apply_softmax = True

    def forward(self, x):
        x = self.fc(x)
        if self.apply_softmax:
            x = F.softmax(x, dim=1)
        return x


class Tagger(nn.Module):
    def __init__(self, dim=32, tags=9):
        super().__init__()
        self.proj = nn.Linear(dim, tags)

    def forward(self, h):
        scores = self.proj(h)
        if USE_LOG_SOFTMAX:
            return F.log_softmax(scores, dim=-1)
        return F.softmax(scores, dim=-1)


def configure(args):
    global USE_LOG_SOFTMAX
    USE_LOG_SOFTMAX = args.log_probs


def train(loader):
    model = Net()
    model.apply_softmax = False  # training wants logits
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train_tagger(loader):
    tagger = Tagger()
    for h, tags in loader:
        loss = F.nll_loss(tagger(h).flatten(0, 1), tags.flatten())
        loss.backward()
