"""Property tests: each loss equals its torch.nn.functional namesake, value and gradient.

Shapes, values, options and reductions are drawn by hypothesis; tensors come from a
drawn seed, so every example is reproducible. Float64 on CPU, so any difference
beyond rounding is a different formula.
"""

from __future__ import annotations

import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import losslint.losses as L

from .helpers import assert_same_loss, generator

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

PROPERTY = settings(max_examples=25, deadline=None, derandomize=True, database=None)
DOUBLE = torch.float64

seeds = st.integers(0, 2**31 - 1)
reductions = st.sampled_from(["none", "mean", "sum"])


@st.composite
def classification_shapes(draw) -> tuple[int, ...]:
    """(C,), (N, C) or (N, C, d1[, d2]): unbatched, batched, and spatial like segmentation."""
    n_classes = draw(st.integers(1, 6))
    kind = draw(st.sampled_from(["unbatched", "batch", "spatial"]))
    if kind == "unbatched":
        return (n_classes,)
    batch = draw(st.integers(1, 5))
    spatial = draw(st.lists(st.integers(1, 3), max_size=2)) if kind == "spatial" else []
    return (batch, n_classes, *spatial)


def class_dim(shape: tuple[int, ...]) -> int:
    return 0 if len(shape) == 1 else 1


def class_indices(g: torch.Generator, shape: tuple[int, ...], ignore_index: int) -> torch.Tensor:
    """Class-index targets for logits of ``shape``, about a fifth set to ``ignore_index``."""
    dim = class_dim(shape)
    target_shape = shape[:dim] + shape[dim + 1 :]
    target = torch.randint(0, shape[dim], target_shape, generator=g)
    ignored = torch.rand(target_shape, generator=g) < 0.2
    return torch.where(ignored, ignore_index, target)


@given(
    shape=classification_shapes(),
    seed=seeds,
    scale=st.sampled_from([0.1, 1.0, 10.0, 100.0]),
    weighted=st.booleans(),
    ignore_index=st.sampled_from([-100, 0]),
    label_smoothing=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    reduction=reductions,
)
@PROPERTY
def test_cross_entropy_with_class_indices_matches_torch(
    shape, seed, scale, weighted, ignore_index, label_smoothing, reduction
):
    g = generator(seed)
    logits = torch.randn(shape, generator=g, dtype=DOUBLE) * scale
    target = class_indices(g, shape, ignore_index)
    weight = torch.rand(shape[class_dim(shape)], generator=g, dtype=DOUBLE) if weighted else None
    assert_same_loss(
        L.cross_entropy,
        F.cross_entropy,
        [logits, target, weight],
        ignore_index=ignore_index,
        label_smoothing=label_smoothing,
        reduction=reduction,
    )


@given(
    shape=classification_shapes(),
    seed=seeds,
    weighted=st.booleans(),
    normalised=st.booleans(),
    label_smoothing=st.sampled_from([0.0, 0.2]),
    reduction=reductions,
)
@PROPERTY
def test_cross_entropy_with_probability_targets_matches_torch(
    shape, seed, weighted, normalised, label_smoothing, reduction
):
    g = generator(seed)
    logits = torch.randn(shape, generator=g, dtype=DOUBLE) * 3
    target = torch.rand(shape, generator=g, dtype=DOUBLE)
    if normalised:
        target = target / target.sum(class_dim(shape), keepdim=True)
    weight = torch.rand(shape[class_dim(shape)], generator=g, dtype=DOUBLE) if weighted else None
    assert_same_loss(
        L.cross_entropy,
        F.cross_entropy,
        [logits, target, weight],
        grad=(0, 1),
        label_smoothing=label_smoothing,
        reduction=reduction,
    )


@given(
    shape=classification_shapes(),
    seed=seeds,
    weighted=st.booleans(),
    ignore_index=st.sampled_from([-100, 1]),
    reduction=reductions,
)
@PROPERTY
def test_nll_loss_matches_torch(shape, seed, weighted, ignore_index, reduction):
    g = generator(seed)
    log_probs = torch.log_softmax(torch.randn(shape, generator=g, dtype=DOUBLE), class_dim(shape))
    target = class_indices(g, shape, ignore_index)
    weight = torch.rand(shape[class_dim(shape)], generator=g, dtype=DOUBLE) if weighted else None
    assert_same_loss(
        L.nll_loss,
        F.nll_loss,
        [log_probs, target, weight],
        ignore_index=ignore_index,
        reduction=reduction,
    )


shapes = st.lists(st.integers(1, 5), min_size=0, max_size=3).map(tuple)


@given(shape=shapes, seed=seeds, weighted=st.booleans(), reduction=reductions)
@PROPERTY
def test_binary_cross_entropy_matches_torch(shape, seed, weighted, reduction):
    g = generator(seed)
    probs = torch.rand(shape, generator=g, dtype=DOUBLE).clamp(0.001, 0.999)
    target = torch.rand(shape, generator=g, dtype=DOUBLE)
    weight = torch.rand(shape, generator=g, dtype=DOUBLE) if weighted else None
    assert_same_loss(
        L.binary_cross_entropy,
        F.binary_cross_entropy,
        [probs, target, weight],
        grad=(0, 1),
        reduction=reduction,
    )


@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
    seed=seeds,
    scale=st.sampled_from([0.1, 3.0, 50.0]),
    weight_kind=st.sampled_from([None, "full", "last dim"]),
    pos_weighted=st.booleans(),
    reduction=reductions,
)
@PROPERTY
def test_binary_cross_entropy_with_logits_matches_torch(
    shape, seed, scale, weight_kind, pos_weighted, reduction
):
    g = generator(seed)
    logits = torch.randn(shape, generator=g, dtype=DOUBLE) * scale
    target = torch.rand(shape, generator=g, dtype=DOUBLE)
    weight_shape = {None: None, "full": shape, "last dim": shape[-1:]}[weight_kind]
    weight = None if weight_shape is None else torch.rand(weight_shape, generator=g, dtype=DOUBLE)
    pos_weight = torch.rand(shape[-1:], generator=g, dtype=DOUBLE) * 4 if pos_weighted else None
    assert_same_loss(
        L.binary_cross_entropy_with_logits,
        F.binary_cross_entropy_with_logits,
        [logits, target, weight],
        grad=(0, 1),
        reduction=reduction,
        pos_weight=pos_weight,
    )


@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
    seed=seeds,
    log_target=st.booleans(),
    with_zeros=st.booleans(),
    reduction=st.sampled_from(["none", "mean", "sum", "batchmean"]),
)
@PROPERTY
def test_kl_div_matches_torch(shape, seed, log_target, with_zeros, reduction):
    g = generator(seed)
    log_q = torch.log_softmax(torch.randn(shape, generator=g, dtype=DOUBLE), -1)
    t = torch.softmax(torch.randn(shape, generator=g, dtype=DOUBLE), -1)
    if with_zeros and not log_target:  # 0 * log(0) = 0; the gradient there is -inf
        t = torch.where(torch.rand(shape, generator=g) < 0.3, 0.0, t)
    target = t.log() if log_target else t
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same_loss(
            L.kl_div,
            F.kl_div,
            [log_q, target],
            grad=(0, 1) if log_target or not with_zeros else (0,),
            reduction=reduction,
            log_target=log_target,
        )


@given(
    shape=shapes,
    seed=seeds,
    loss=st.sampled_from(["mse_loss", "l1_loss", "huber_loss"]),
    weighted=st.booleans(),
    reduction=reductions,
)
@PROPERTY
def test_weighted_regression_losses_match_torch(shape, seed, loss, weighted, reduction):
    g = generator(seed)
    prediction = torch.randn(shape, generator=g, dtype=DOUBLE) * 2
    target = torch.randn(shape, generator=g, dtype=DOUBLE) * 2
    weight = torch.rand(shape, generator=g, dtype=DOUBLE) if weighted else None
    assert_same_loss(
        getattr(L, loss),
        getattr(F, loss),
        [prediction, target],
        grad=(0, 1),
        reduction=reduction,
        weight=weight,
    )


@given(
    shape=shapes,
    seed=seeds,
    threshold=st.sampled_from([0.0, 0.1, 1.0, 3.0]),
    reduction=reductions,
)
@PROPERTY
def test_huber_and_smooth_l1_thresholds_match_torch(shape, seed, threshold, reduction):
    g = generator(seed)
    prediction = torch.randn(shape, generator=g, dtype=DOUBLE) * 2
    target = torch.randn(shape, generator=g, dtype=DOUBLE) * 2
    tensors = [prediction, target]
    assert_same_loss(
        L.smooth_l1_loss, F.smooth_l1_loss, tensors, (0, 1), beta=threshold, reduction=reduction
    )
    if threshold > 0:
        assert_same_loss(
            L.huber_loss, F.huber_loss, tensors, (0, 1), delta=threshold, reduction=reduction
        )


@given(
    batch=st.one_of(st.none(), st.integers(1, 6)),
    dim=st.integers(1, 6),
    seed=seeds,
    margin=st.sampled_from([0.1, 1.0, 3.0]),
    p=st.sampled_from([1.0, 2.0, 3.0, float("inf")]),
    eps=st.sampled_from([0.0, 1e-6]),
    swap=st.booleans(),
    reduction=reductions,
)
@PROPERTY
def test_triplet_margin_loss_matches_torch(batch, dim, seed, margin, p, eps, swap, reduction):
    g = generator(seed)
    shape = (dim,) if batch is None else (batch, dim)
    anchor, positive, negative = (torch.randn(shape, generator=g, dtype=DOUBLE) for _ in range(3))
    assert_same_loss(
        L.triplet_margin_loss,
        F.triplet_margin_loss,
        [anchor, positive, negative],
        grad=(0, 1, 2),
        margin=margin,
        p=p,
        eps=eps,
        swap=swap,
        reduction=reduction,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_with_every_target_ignored_matches_torch(reduction):
    logits = torch.randn(3, 4, dtype=DOUBLE)
    target = torch.full((3,), -100)
    assert_same_loss(L.cross_entropy, F.cross_entropy, [logits, target], reduction=reduction)


@pytest.mark.parametrize(
    ("ours", "theirs", "tensors"),
    [
        (L.cross_entropy, F.cross_entropy, [torch.randn(0, 3), torch.zeros(0, dtype=torch.long)]),
        (L.mse_loss, F.mse_loss, [torch.randn(0, 3), torch.randn(0, 3)]),
        (L.binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits,
         [torch.randn(0), torch.rand(0)]),
    ],
    ids=["cross_entropy", "mse_loss", "bce_with_logits"],
)  # fmt: skip
def test_empty_batch_mean_is_nan_as_in_torch(ours, theirs, tensors):
    assert_same_loss(ours, theirs, tensors)
