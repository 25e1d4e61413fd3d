import torch
from torch import nn


class SoftmaxHead(nn.Module):
    """The probabilities the UI shows next to each prediction."""

    def __init__(self, dim, classes):
        super().__init__()
        self.proj = nn.Linear(dim, classes)

    def forward(self, features):
        return torch.softmax(self.proj(features), dim=-1)
