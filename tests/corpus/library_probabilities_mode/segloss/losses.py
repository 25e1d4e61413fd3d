"""Losses that take the log of what they are given, or of a softmax they make: the
probabilities are not kept off 0 by the function, so the log is reported."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def nll_of_probs(probs, target):
    return F.nll_loss(torch.log(probs), target)  # expect: LL005


class FocalLoss(nn.Module):
    """Multi-class focal loss. The clamped copy only weights the loss: the log is taken of
    the probabilities as given."""

    def __init__(self, gamma=2.0, eps=1e-7):
        super().__init__()
        self.gamma = gamma
        self.eps = eps

    def forward(self, probs, target):
        pt = probs.clamp(self.eps, 1 - self.eps)
        weight = (1 - pt) ** self.gamma
        return F.nll_loss(weight * torch.log(probs), target)  # expect: LL005


def mean_log_prob(probs, target):
    """The probabilities arrive clamped by the caller: the function itself does nothing to
    keep them off 0, and the caller's clamp hides the lost precision, not the log."""
    return torch.log(probs.gather(1, target[:, None])).mean()  # expect: LL005


def smoothed_nll(logits, target, eps=1e-6):
    probs = logits.softmax(dim=1).clamp(min=eps)
    return F.nll_loss(torch.log(probs), target)  # expect: LL005
