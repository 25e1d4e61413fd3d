"""Every softmax here names its dim, positionally or by keyword."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def scaled_dot_product(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    return F.softmax(scores, -1) @ v


def gumbel_sample(logits, tau=1.0):
    return F.gumbel_softmax(logits, tau=tau, hard=True)


class Router(nn.Module):
    """Mixture-of-experts router: softmax over experts, top-2 gating."""

    def __init__(self, dim, experts):
        super().__init__()
        self.gate = nn.Linear(dim, experts)
        self.softmax = nn.Softmax(-1)

    def forward(self, x):
        probs = self.softmax(self.gate(x))
        weights, index = probs.topk(2, dim=-1)
        return weights / weights.sum(-1, keepdim=True), index


def log_probs(logits):
    return torch.log_softmax(logits, -1), logits.log_softmax(dim=-1), F.log_softmax(logits, 1)
