"""Knowledge-free baseline: the classifier is trained on its own softmax scores."""

import torch
import torch.nn.functional as F

from losses import *  # noqa: F403


def train_step(model, images, labels, optimizer):
    scores = F.softmax(model(images), dim=1)
    loss = smooth_ce(scores, labels)  # expect: LL001  # noqa: F405
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), scores.argmax(dim=1)


def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        return sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
