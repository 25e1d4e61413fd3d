"""Focal losses built on the stable torch primitives: the probabilities only weight
the per-element loss, they never go through a log."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, gamma=2.0, alpha=None):
        super().__init__()
        self.gamma = gamma
        self.alpha = alpha

    def forward(self, logits, target):
        ce = F.cross_entropy(logits, target, weight=self.alpha, reduction="none")
        pt = torch.exp(-ce)
        return ((1 - pt) ** self.gamma * ce).mean()


def sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    return (alpha_t * loss).mean()


def poly1_cross_entropy(logits, labels, epsilon=1.0):
    log_probs = F.log_softmax(logits, dim=-1)
    pt = log_probs.gather(1, labels[:, None]).squeeze(1).exp()
    ce = F.nll_loss(log_probs, labels, reduction="none")
    return (ce + epsilon * (1 - pt)).mean()
