"""Loops shared by the experiments: each experiment script passes its own pieces."""

import torch.nn as nn
import torch.nn.functional as F


def build_criterion(label_smoothing=0.0):
    return nn.CrossEntropyLoss(label_smoothing=label_smoothing)


def train_step(model, batch, criterion, optimizer):
    images, labels = batch
    probs = F.softmax(model(images), dim=1)
    loss = criterion(probs, labels)  # expect: LL001
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), (probs.argmax(dim=1) == labels).float().mean().item()
