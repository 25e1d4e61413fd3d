"""Softmax and sigmoid used inside a network, not as its output: attention weights
times values, a sigmoid gate, label-smoothed one-hot targets, averaged logits, and a
padding mask applied to the probabilities only for reporting."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class AttentionPool(nn.Module):
    def __init__(self, dim, num_classes):
        super().__init__()
        self.score = nn.Linear(dim, 1)
        self.gate = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, num_classes)
        self.class_weights = nn.Parameter(torch.ones(num_classes))

    def forward(self, h, mask):
        scores = self.score(h).squeeze(-1).masked_fill(mask == 0, -1e9)
        weights = F.softmax(scores, dim=-1)
        pooled = (weights.unsqueeze(-1) * h).sum(dim=1)
        gated = pooled * torch.sigmoid(self.gate(pooled))
        return self.out(gated)

    def weighted_probs(self, h, mask):
        return F.softmax(self.forward(h, mask), dim=-1) * self.class_weights


def train_step(model, other, batch, num_classes, eps=0.1):
    h, mask, y = batch
    logits = model(h, mask)
    one_hot = F.one_hot(y, num_classes).float()
    smooth = one_hot * (1 - eps) + eps / num_classes
    loss = F.cross_entropy(logits, smooth)
    averaged = (logits + other(h, mask)) / 2
    loss = loss + F.cross_entropy(averaged, y)
    gate_logits = h.mean(1) * torch.sigmoid(h.mean(1))
    loss = loss + F.binary_cross_entropy_with_logits(gate_logits.sum(-1), mask.float().mean(1))
    with torch.no_grad():
        probs = F.softmax(logits, dim=-1) * (y != -100).unsqueeze(-1).float()
        kept = model.weighted_probs(h, mask)
    return loss, probs, kept
