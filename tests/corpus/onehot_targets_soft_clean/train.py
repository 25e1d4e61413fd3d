"""Targets that look one-hot but are not class labels to regress: label smoothing from
a scattered one-hot into a soft-target cross-entropy, mixup targets, an orthogonality
penalty against the identity matrix, and zeros scattered with confidences."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 10


def smooth_one_hot(labels, eps=0.1):
    y = torch.zeros(labels.size(0), NUM_CLASSES).scatter_(1, labels.unsqueeze(1), 1)
    return y * (1 - eps) + eps / NUM_CLASSES


def mixup_batches(features, labels, alpha=0.2, batch_size=64):
    for start in range(0, features.size(0), batch_size):
        x = features[start : start + batch_size]
        y = F.one_hot(labels[start : start + batch_size], NUM_CLASSES).float()
        lam = float(np.random.beta(alpha, alpha))
        perm = torch.randperm(x.size(0))
        yield lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm]


def train(model, features, labels, scores, epochs=5):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    mse = nn.MSELoss()
    for epoch in range(epochs):
        for x, soft in mixup_batches(features, labels):
            out = model(x)
            loss = F.cross_entropy(out, soft)
            loss = loss + F.cross_entropy(out, smooth_one_hot(labels[: x.size(0)]))
            w = model.weight
            loss = loss + 1e-4 * mse(w @ w.t(), torch.eye(w.size(0)))
            confidence = torch.zeros(x.size(0), NUM_CLASSES)
            confidence.scatter_(1, labels[: x.size(0)].unsqueeze(1), scores[: x.size(0)])
            loss = loss + F.mse_loss(out, confidence)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
