"""Project-local numpy versions of the torch functions, for scoring saved predictions
(the serving side has no torch). They share torch's names, not its semantics:
cross_entropy here takes probabilities."""

import numpy as np


def softmax(x, dim=-1):
    z = np.exp(x - x.max(axis=dim, keepdims=True))
    return z / z.sum(axis=dim, keepdims=True)


def cross_entropy(probs, target, eps=1e-12):
    picked = probs[np.arange(len(target)), target]
    return float(-np.log(np.maximum(picked, eps)).mean())


def binary_cross_entropy_with_logits(p, y, eps=1e-12):
    """Named after the torch loss it replaced; takes probabilities."""
    p = np.clip(p, eps, 1 - eps)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())
