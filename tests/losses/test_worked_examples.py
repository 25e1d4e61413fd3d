"""The worked numbers of issue 5, to 4 decimals: the glossary's examples, checked by value.

The docstrings show the same numbers as doctests (test_doctests.py); this file states
them in one place, as the issue does.
"""

from __future__ import annotations

import pytest
import torch

import losslint.losses as L

LOGITS = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
CLASSES = torch.tensor([0, 1])
PREDICTIONS = torch.tensor([2.5, 0.0, 2.0, 8.0])
TARGETS = torch.tensor([3.0, -0.5, 2.0, 7.0])

WORKED = {
    "binary_cross_entropy": (
        lambda: L.binary_cross_entropy(
            torch.tensor([0.9, 0.2, 0.8, 0.1]), torch.tensor([1.0, 0.0, 1.0, 0.0])
        ),
        "0.1643",
    ),
    "cross_entropy": (lambda: L.cross_entropy(LOGITS, CLASSES), "0.3185"),
    "nll_loss of log_softmax": (lambda: L.nll_loss(LOGITS.log_softmax(dim=1), CLASSES), "0.3185"),
    "cross_entropy label_smoothing=0.1": (
        lambda: L.cross_entropy(LOGITS, CLASSES, label_smoothing=0.1),
        "0.4369",
    ),
    "cross_entropy fed softmax (LL001)": (
        lambda: L.cross_entropy(LOGITS.softmax(dim=1), CLASSES),
        "0.7450",
    ),
    "mse_loss": (lambda: L.mse_loss(PREDICTIONS, TARGETS), "0.3750"),
    "l1_loss": (lambda: L.l1_loss(PREDICTIONS, TARGETS), "0.5000"),
    "huber_loss delta=1": (lambda: L.huber_loss(PREDICTIONS, TARGETS, delta=1.0), "0.1875"),
    "binary_cross_entropy p=0.01 y=1": (
        lambda: L.binary_cross_entropy(torch.tensor([0.01]), torch.tensor([1.0])),
        "4.6052",
    ),
    "binary_cross_entropy p=0.99 y=1": (
        lambda: L.binary_cross_entropy(torch.tensor([0.99]), torch.tensor([1.0])),
        "0.0101",
    ),
}


@pytest.mark.parametrize("name", list(WORKED))
def test_worked_number(name):
    compute, expected = WORKED[name]
    assert f"{compute().item():.4f}" == expected
