"""The losses computed by torch's fused kernel are the formulas their docstrings give.

``binary_cross_entropy``, ``mse_loss``, ``huber_loss`` and ``smooth_l1_loss`` call
torch's kernel (composing them cost 1.7x to 8x, benchmarks/losses.py), so comparing
them with torch proves little. Here the oracle is the docstring's formula, written out.
"""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import losslint.losses as L

from .helpers import assert_same_loss, generator

PROPERTY = settings(max_examples=20, deadline=None, derandomize=True, database=None)
DOUBLE = torch.float64
shapes = st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple)
seeds = st.integers(0, 2**31 - 1)


def bce_formula(p, y, weight=None, reduction="mean"):
    log_p = torch.log(p).clamp_min(-100)
    log_1mp = torch.log(1 - p).clamp_min(-100)
    loss = -(y * log_p + (1 - y) * log_1mp) * (1 if weight is None else weight)
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def mse_formula(x, y, reduction="mean"):
    loss = (x - y) ** 2
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def huber_formula(x, y, reduction="mean", delta=1.0):
    d = (x - y).abs()
    loss = torch.where(d <= delta, 0.5 * d**2, delta * (d - 0.5 * delta))
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def smooth_l1_formula(x, y, reduction="mean", beta=1.0):
    d = (x - y).abs()
    loss = torch.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta) if beta > 0 else d
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


reductions = st.sampled_from(["none", "mean", "sum"])


@given(shape=shapes, seed=seeds, weighted=st.booleans(), reduction=reductions)
@PROPERTY
def test_binary_cross_entropy_is_its_formula(shape, seed, weighted, reduction):
    g = generator(seed)
    p = torch.rand(shape, generator=g, dtype=DOUBLE).clamp(1e-3, 1 - 1e-3)
    y = torch.rand(shape, generator=g, dtype=DOUBLE)
    w = torch.rand(shape, generator=g, dtype=DOUBLE) if weighted else None
    assert_same_loss(L.binary_cross_entropy, bce_formula, [p, y, w], (0, 1), reduction=reduction)


def test_binary_cross_entropy_floors_each_log_at_minus_100():
    p = torch.tensor([0.0, 1.0, 0.0, 1.0])
    y = torch.tensor([1.0, 0.0, 0.0, 1.0])
    torch.testing.assert_close(
        L.binary_cross_entropy(p, y, reduction="none"), bce_formula(p, y, reduction="none")
    )


@given(shape=shapes, seed=seeds, reduction=reductions)
@PROPERTY
def test_mse_loss_is_its_formula(shape, seed, reduction):
    g = generator(seed)
    x, y = (torch.randn(shape, generator=g, dtype=DOUBLE) for _ in range(2))
    assert_same_loss(L.mse_loss, mse_formula, [x, y], (0, 1), reduction=reduction)


@given(shape=shapes, seed=seeds, delta=st.sampled_from([0.1, 1.0, 2.5]), reduction=reductions)
@PROPERTY
def test_huber_loss_is_its_formula(shape, seed, delta, reduction):
    g = generator(seed)
    x, y = (torch.randn(shape, generator=g, dtype=DOUBLE) * 2 for _ in range(2))
    assert_same_loss(L.huber_loss, huber_formula, [x, y], (0, 1), reduction=reduction, delta=delta)


@given(shape=shapes, seed=seeds, beta=st.sampled_from([0.0, 0.1, 1.0, 2.5]), reduction=reductions)
@PROPERTY
def test_smooth_l1_loss_is_its_formula(shape, seed, beta, reduction):
    g = generator(seed)
    x, y = (torch.randn(shape, generator=g, dtype=DOUBLE) * 2 for _ in range(2))
    assert_same_loss(
        L.smooth_l1_loss, smooth_l1_formula, [x, y], (0, 1), reduction=reduction, beta=beta
    )


@pytest.mark.parametrize("delta", [0.3, 1.0, 4.0])
def test_huber_loss_is_smooth_l1_loss_times_delta(delta):
    x, y = torch.randn(50, dtype=DOUBLE) * 3, torch.randn(50, dtype=DOUBLE)
    torch.testing.assert_close(
        L.huber_loss(x, y, delta=delta), delta * L.smooth_l1_loss(x, y, beta=delta)
    )
