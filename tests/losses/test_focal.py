"""Focal losses: against the paper's formula written out, and cross-entropy at gamma = 0.

Lin et al., "Focal Loss for Dense Object Detection" (2017): FL(p_t) = -alpha_t
(1 - p_t)^gamma log(p_t). The transcriptions below are the formula as printed;
they are finite for the moderate logits used here (float64), so they are the oracle.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import losslint.losses as L

from .helpers import assert_same_loss, generator, value_and_grads

PROPERTY = settings(max_examples=20, deadline=None, derandomize=True, database=None)
DOUBLE = torch.float64
seeds = st.integers(0, 2**31 - 1)
gammas = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5])


def paper_sigmoid_focal(x, y, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(x)
    p_t = torch.where(y == 1, p, 1 - p)
    alpha_t = torch.where(y == 1, alpha, 1 - alpha) if alpha >= 0 else torch.ones_like(p)
    loss = -alpha_t * (1 - p_t) ** gamma * torch.log(p_t)
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def torchvision_sigmoid_focal(x, y, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss, transcribed: the contract for soft targets."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def paper_softmax_focal(x, y, alpha=None, gamma=2.0, reduction="mean", ignore_index=-100):
    """-alpha_y (1 - p_y)^gamma log p_y over one-hot targets, weighted mean as cross_entropy."""
    keep = y != ignore_index
    safe_y = torch.where(keep, y, 0)
    p = torch.softmax(x, dim=1)
    one_hot = F.one_hot(safe_y, x.shape[1]).movedim(-1, 1).to(x.dtype)
    p_y = (one_hot * p).sum(1)
    alpha_y = torch.ones_like(p_y) if alpha is None else alpha[safe_y]
    alpha_y = alpha_y * keep
    # Ignored targets drop out of the gradient too (torch's rule, even when all are ignored).
    loss = torch.where(keep, -alpha_y * (1 - p_y) ** gamma * torch.log(p_y), 0.0)
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / alpha_y.sum()}[reduction]


def assume_finite(oracle, tensors, grad=(0,), **options) -> None:
    """Skip an example where the paper's formula itself is not finite (value or gradient).

    E.g. one class, so p_y = 1 exactly: (1 - p_y) ** 0.5 has an infinite derivative at 0.
    """
    value, grads = value_and_grads(oracle, tensors, grad, **options)
    assume(all(torch.isfinite(t).all() for t in [value, *grads]))


@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
    seed=seeds,
    alpha=st.sampled_from([0.25, 0.5, 0.9, -1.0]),
    gamma=gammas,
    reduction=st.sampled_from(["none", "mean", "sum"]),
)
@PROPERTY
def test_sigmoid_focal_loss_is_the_papers_formula(shape, seed, alpha, gamma, reduction):
    g = generator(seed)
    logits = torch.randn(shape, generator=g, dtype=DOUBLE) * 4
    targets = torch.rand(shape, generator=g, dtype=DOUBLE).round()
    options = dict(alpha=alpha, gamma=gamma, reduction=reduction)
    assume_finite(paper_sigmoid_focal, [logits, targets], **options)
    assert_same_loss(L.sigmoid_focal_loss, paper_sigmoid_focal, [logits, targets], **options)


@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple), seed=seeds, gamma=gammas
)
@PROPERTY
def test_sigmoid_focal_loss_matches_torchvision_on_soft_targets(shape, seed, gamma):
    g = generator(seed)
    logits = torch.randn(shape, generator=g, dtype=DOUBLE) * 4
    targets = torch.rand(shape, generator=g, dtype=DOUBLE)
    assert_same_loss(
        L.sigmoid_focal_loss, torchvision_sigmoid_focal, [logits, targets], grad=(0, 1), gamma=gamma
    )


def test_sigmoid_focal_loss_defaults_are_torchvisions():
    logits = torch.randn(3, 4, dtype=DOUBLE)
    targets = torch.rand(3, 4, dtype=DOUBLE).round()
    loss = L.sigmoid_focal_loss(logits, targets)
    assert loss.shape == logits.shape  # reduction="none"
    torch.testing.assert_close(loss, torchvision_sigmoid_focal(logits, targets, 0.25, 2.0))


def test_sigmoid_focal_loss_at_gamma_0_without_alpha_is_bce_with_logits():
    logits = torch.randn(6, 4, dtype=DOUBLE) * 5
    targets = torch.rand(6, 4, dtype=DOUBLE)
    torch.testing.assert_close(
        L.sigmoid_focal_loss(logits, targets, alpha=-1, gamma=0.0, reduction="mean"),
        F.binary_cross_entropy_with_logits(logits, targets),
    )


def test_sigmoid_focal_loss_at_gamma_0_is_alpha_weighted_bce_with_logits():
    logits = torch.randn(6, 4, dtype=DOUBLE) * 5
    targets = torch.rand(6, 4, dtype=DOUBLE).round()
    alpha_t = torch.where(targets == 1, 0.25, 0.75)
    torch.testing.assert_close(
        L.sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=0.0, reduction="sum"),
        F.binary_cross_entropy_with_logits(logits, targets, weight=alpha_t, reduction="sum"),
    )


@st.composite
def segmentation_batches(draw):
    g = generator(draw(seeds))
    n_classes = draw(st.integers(1, 5))
    spatial = draw(st.lists(st.integers(1, 3), max_size=2))
    shape = (draw(st.integers(1, 4)), n_classes, *spatial)
    logits = torch.randn(shape, generator=g, dtype=DOUBLE) * 3
    target = torch.randint(0, n_classes, (shape[0], *spatial), generator=g)
    target = torch.where(torch.rand(target.shape, generator=g) < 0.2, -100, target)
    alpha = torch.rand(n_classes, generator=g, dtype=DOUBLE) + 0.1 if draw(st.booleans()) else None
    return logits, target, alpha


@given(
    batch=segmentation_batches(), gamma=gammas, reduction=st.sampled_from(["none", "mean", "sum"])
)
@PROPERTY
def test_softmax_focal_loss_is_the_papers_formula(batch, gamma, reduction):
    logits, target, alpha = batch
    options = dict(alpha=alpha, gamma=gamma, reduction=reduction)
    assume_finite(paper_softmax_focal, [logits, target], **options)
    assert_same_loss(L.softmax_focal_loss, paper_softmax_focal, [logits, target], **options)


@given(batch=segmentation_batches(), reduction=st.sampled_from(["none", "mean", "sum"]))
@PROPERTY
def test_softmax_focal_loss_at_gamma_0_is_weighted_cross_entropy(batch, reduction):
    logits, target, alpha = batch
    value = L.softmax_focal_loss(logits, target, alpha=alpha, gamma=0.0, reduction=reduction)
    expected = F.cross_entropy(logits, target, weight=alpha, reduction=reduction)
    torch.testing.assert_close(value, expected, equal_nan=True)


@given(batch=segmentation_batches(), gamma=st.sampled_from([0.5, 2.0, 5.0]))
@PROPERTY
def test_focal_loss_never_exceeds_cross_entropy(batch, gamma):
    logits, target, alpha = batch
    focal = L.softmax_focal_loss(logits, target, alpha=alpha, gamma=gamma, reduction="none")
    ce = F.cross_entropy(logits, target, weight=alpha, reduction="none")
    assert (focal <= ce + 1e-12).all()


def test_focal_loss_down_weights_easy_examples_more_than_hard_ones():
    logits = torch.tensor([[4.0, 0.0], [0.0, 4.0]], dtype=DOUBLE)  # easy right, hard wrong
    target = torch.tensor([0, 0])
    ratio = L.softmax_focal_loss(logits, target, reduction="none") / F.cross_entropy(
        logits, target, reduction="none"
    )
    assert ratio[0] < 1e-3 < 0.9 < ratio[1]


def test_softmax_focal_loss_takes_alpha_as_a_list():
    logits = torch.randn(5, 3, dtype=DOUBLE)
    target = torch.tensor([0, 1, 2, 1, 0])
    torch.testing.assert_close(
        L.softmax_focal_loss(logits, target, alpha=[0.2, 0.3, 0.5]),
        L.softmax_focal_loss(logits, target, alpha=torch.tensor([0.2, 0.3, 0.5])),
    )


def test_softmax_focal_loss_refuses_a_single_alpha():
    with pytest.raises(TypeError, match="one weight per class"):
        L.softmax_focal_loss(torch.randn(2, 3), torch.tensor([0, 1]), alpha=0.25)


def test_sigmoid_focal_loss_refuses_an_unknown_reduction():
    with pytest.raises(ValueError, match="reduction"):
        L.sigmoid_focal_loss(torch.randn(3), torch.ones(3), reduction="batchmean")
