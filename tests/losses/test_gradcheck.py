"""torch.autograd.gradcheck in float64: each loss's backward is the derivative of its forward.

Inputs are drawn away from the points where a loss has a kink (|d| = delta, the
hinge of the triplet loss, p = 0 or 1), where a finite difference means nothing.
"""

from __future__ import annotations

import pytest
import torch

import losslint.losses as L

from .helpers import generator

DOUBLE = torch.float64


def _cases():
    g = generator(0)

    def randn(*shape, scale=1.0):
        return (torch.randn(shape, generator=g, dtype=DOUBLE) * scale).requires_grad_()

    def rand(*shape, low=0.05, high=0.95):
        u = torch.rand(shape, generator=g, dtype=DOUBLE)
        return (low + (high - low) * u).requires_grad_()

    classes = torch.tensor([0, 2, -100, 1])
    spatial_classes = torch.randint(0, 3, (2, 4, 2), generator=g)
    class_weight = torch.rand(3, generator=g, dtype=DOUBLE) + 0.5
    soft = torch.softmax(torch.randn(4, 3, generator=g, dtype=DOUBLE), 1)
    hard = torch.rand(4, 5, generator=g, dtype=DOUBLE).round()
    # Triplets with a clear margin violation, so the hinge is not at its kink.
    anchor = torch.randn(4, 6, generator=g, dtype=DOUBLE)
    positive = anchor + 2.0 * torch.randn(4, 6, generator=g, dtype=DOUBLE)
    negative = anchor + 0.1 * torch.randn(4, 6, generator=g, dtype=DOUBLE)

    def leaf(t):
        return t.clone().requires_grad_()

    return {
        "cross_entropy": (
            lambda x: L.cross_entropy(x, classes, class_weight, label_smoothing=0.1),
            [randn(4, 3, scale=3)],
        ),
        "cross_entropy spatial": (
            lambda x: L.cross_entropy(x, spatial_classes),
            [randn(2, 3, 4, 2)],
        ),
        "cross_entropy probabilities": (
            lambda x, t: L.cross_entropy(x, t, class_weight),
            [randn(4, 3), leaf(soft)],
        ),
        "nll_loss": (lambda x: L.nll_loss(x, classes, class_weight), [randn(4, 3)]),
        "cross_entropy_from_probs": (
            lambda p: L.cross_entropy_from_probs(p, classes),
            [leaf(soft)],
        ),
        "binary_cross_entropy": (
            lambda p, y: L.binary_cross_entropy(p, y),
            [rand(4, 5), rand(4, 5, low=0.0, high=1.0)],
        ),
        "binary_cross_entropy_with_logits": (
            lambda x, y: L.binary_cross_entropy_with_logits(
                x, y, pos_weight=torch.full((5,), 3.0, dtype=DOUBLE)
            ),
            [randn(4, 5, scale=5), rand(4, 5, low=0.0, high=1.0)],
        ),
        "kl_div": (
            lambda x, t: L.kl_div(x, t, reduction="batchmean"),
            [leaf(torch.log_softmax(randn(4, 3), 1)), leaf(soft)],
        ),
        "kl_div log_target": (
            lambda x, t: L.kl_div(x, t, reduction="batchmean", log_target=True),
            [leaf(torch.log_softmax(randn(4, 3), 1)), leaf(soft.log())],
        ),
        "mse_loss": (lambda x, y: L.mse_loss(x, y), [randn(3, 4), randn(3, 4)]),
        "l1_loss": (lambda x, y: L.l1_loss(x, y), [randn(3, 4), randn(3, 4)]),
        "huber_loss": (lambda x, y: L.huber_loss(x, y, delta=0.8), [randn(3, 4), randn(3, 4)]),
        "smooth_l1_loss": (
            lambda x, y: L.smooth_l1_loss(x, y, beta=0.6),
            [randn(3, 4), randn(3, 4)],
        ),
        "triplet_margin_loss": (
            lambda a, p, n: L.triplet_margin_loss(a, p, n, margin=1.0, swap=True),
            [leaf(anchor), leaf(positive), leaf(negative)],
        ),
        "sigmoid_focal_loss": (
            lambda x: L.sigmoid_focal_loss(x, hard, gamma=2.0, reduction="mean"),
            [randn(4, 5, scale=3)],
        ),
        "sigmoid_focal_loss gamma 0.5": (
            lambda x: L.sigmoid_focal_loss(x, hard, gamma=0.5, reduction="sum"),
            [randn(4, 5, scale=3)],
        ),
        "softmax_focal_loss": (
            lambda x: L.softmax_focal_loss(x, classes, alpha=class_weight, gamma=2.0),
            [randn(4, 3, scale=3)],
        ),
    }


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_finite_differences(name):
    fn, inputs = CASES[name]
    assert torch.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-6, rtol=1e-5)
