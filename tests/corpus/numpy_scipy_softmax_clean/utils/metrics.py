"""Numpy metrics for offline evaluation of saved logits."""

import numpy as np


def softmax(x, axis=-1):
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy(probs, labels, eps=1e-12):
    """Mean negative log-likelihood of the true class, from probabilities."""
    picked = probs[np.arange(len(labels)), labels]
    return float(-np.log(np.clip(picked, eps, 1.0)).mean())


def expected_calibration_error(probs, labels, bins=15):
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (confidence > lo) & (confidence <= hi)
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return ece
