"""Hand-written activations that are not what they look like, or used rightly: a
numpy softmax for reporting, exp over a different tensor's sum (a kernel density
normaliser), a hand-written sigmoid used as a gate, and a user function that is really
log-softmax."""

import numpy as np
import torch
import torch.nn.functional as F


def softmax_np(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_softmax(z, dim=1):
    return z - torch.logsumexp(z, dim=dim, keepdim=True)


def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def train(loader, epochs=20):
    w = torch.randn(784, 10, requires_grad=True)
    v = torch.randn(784, 1, requires_grad=True)
    optimizer = torch.optim.SGD([w, v], lr=0.1)
    for epoch in range(epochs):
        for x, y, is_digit, bandwidth in loader:
            logits = x @ w
            loss = F.nll_loss(log_softmax(logits), y)
            loss = loss + F.cross_entropy(logits, y)
            gate = (x @ v) * sigmoid(x @ v)
            loss = loss + F.binary_cross_entropy_with_logits(gate.squeeze(1), is_digit)
            kernel = torch.exp(-(x @ x.t()) / bandwidth)
            weights = kernel / torch.exp(logits).sum(dim=1, keepdim=True)
            gated = torch.exp(logits) / (1 + bandwidth)
            loss = loss + F.cross_entropy(weights, y) + F.cross_entropy(gated, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        report = softmax_np(logits.detach().numpy())
        print(epoch, report.max(axis=1).mean())
