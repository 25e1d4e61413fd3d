import torch
import torch.nn.functional as F


def cross_entropy_from_scratch(logits, targets):
    """Cross-entropy written by hand for a course assignment."""
    probs = F.softmax(logits, dim=1)
    picked = probs[torch.arange(len(targets)), targets]
    return -torch.log(picked).mean()  # expect: LL005


def soft_cross_entropy(logits, soft_targets, eps=1e-8):
    probs = logits.softmax(dim=-1)
    return -(soft_targets * (probs + eps).log()).sum(dim=-1).mean()  # expect: LL005


def binary_focal(logits, targets, gamma=2.0):
    p = torch.sigmoid(logits)
    pos = -targets * (1 - p) ** gamma * torch.log(p)  # expect: LL005
    neg = -(1 - targets) * p**gamma * F.logsigmoid(-logits)
    return (pos + neg).mean()
