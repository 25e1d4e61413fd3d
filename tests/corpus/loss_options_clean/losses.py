"""Losses and activations built from configuration: constructor arguments that are
settings, not data."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def class_weights(counts):
    counts = torch.as_tensor(counts, dtype=torch.float)
    return counts.sum() / (len(counts) * counts)


def build_criterion(cfg, counts):
    if cfg["loss"] == "ce":
        return nn.CrossEntropyLoss(class_weights(counts), ignore_index=-1)
    if cfg["loss"] == "huber":
        return nn.HuberLoss("mean", cfg.get("delta", 1.0))
    if cfg["loss"] == "kl":
        return nn.KLDivLoss(reduction="batchmean", log_target=cfg.get("log_target", False))
    return getattr(nn, cfg["loss"])(**cfg.get("loss_kwargs", {}))


class Head(nn.Module):
    def __init__(self, dim, classes, softmax_dim=-1):
        super().__init__()
        self.fc = nn.Linear(dim, classes)
        self.norm = nn.Softmax(softmax_dim)
        self.log_norm = nn.LogSoftmax(dim=softmax_dim)

    def forward(self, x):
        return self.fc(x)

    def probabilities(self, x):
        return self.norm(self.fc(x))


def label_distribution_loss(logits, target_dist, reduction="batchmean"):
    return F.kl_div(F.log_softmax(logits, dim=1), target_dist, reduction=reduction)


def summed_kl(logits, target_dist):
    return F.kl_div(F.log_softmax(logits, -1), target_dist, reduction="sum") / logits.size(0)


def bounded_outputs(raw, y):
    clamped = torch.clamp(raw, 0.0, 1.0)
    squashed = (torch.tanh(raw) + 1) / 2
    return F.binary_cross_entropy(clamped, y) + F.binary_cross_entropy(squashed, y)


def train(head, loader, cfg, counts):
    criterion = build_criterion(cfg, counts)
    opt = torch.optim.Adam(head.parameters())
    for x, y in loader:
        loss = criterion(head(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
