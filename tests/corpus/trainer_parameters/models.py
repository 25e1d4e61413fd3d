import torch.nn as nn


def make_classifier(hidden, classes):
    return nn.Sequential(nn.Linear(hidden, classes), nn.Sigmoid())


class Head(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.proj = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.proj(x)
