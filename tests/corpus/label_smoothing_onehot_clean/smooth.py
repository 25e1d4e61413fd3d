"""Label smoothing and mixup written by hand: one-hot and mixed probability vectors
are the *targets* of cross_entropy, which accepts class probabilities."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 100


def smoothed_targets(labels, eps=0.1):
    onehot = F.one_hot(labels, NUM_CLASSES).float()
    return onehot * (1 - eps) + eps / NUM_CLASSES


def mixup(x, y, alpha=0.4):
    lam = float(np.random.beta(alpha, alpha))
    perm = torch.randperm(x.size(0))
    mixed_x = lam * x + (1 - lam) * x[perm]
    mixed_y = lam * F.one_hot(y, NUM_CLASSES).float() + (1 - lam) * F.one_hot(y[perm], NUM_CLASSES).float()
    return mixed_x, mixed_y, y, y[perm], lam


def train_step(model, optimizer, x, y):
    mixed_x, mixed_y, y_a, y_b, lam = mixup(x, y)
    logits = model(mixed_x)
    loss = F.cross_entropy(logits, mixed_y)
    loss_alt = lam * F.cross_entropy(logits, y_a) + (1 - lam) * F.cross_entropy(logits, y_b)
    smooth = F.cross_entropy(model(x), smoothed_targets(y))
    exact = F.cross_entropy(model(x), F.one_hot(y, NUM_CLASSES).float())
    total = loss + smooth + 0.0 * (loss_alt + exact)
    optimizer.zero_grad()
    total.backward()
    optimizer.step()
    return total.item()


if __name__ == "__main__":
    net = nn.Linear(48, NUM_CLASSES)
    print(train_step(net, torch.optim.SGD(net.parameters(), lr=0.1), torch.randn(8, 48), torch.randint(0, NUM_CLASSES, (8,))))
