"""Misuse is refused with a clear error, as torch refuses it, before any work is done."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import losslint.losses as L

X = torch.randn(4, 3)
CLASSES = torch.tensor([0, 1, 2, 1])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: L.cross_entropy(X, CLASSES, reduction="avg"), "not a valid value for reduction"),
        (lambda: L.mse_loss(X, X, reduction="batchmean"), "not a valid value for reduction"),
        (lambda: L.cross_entropy(X, torch.tensor([0, 1])), "does not match input shape"),
        (lambda: L.cross_entropy(X, torch.rand(4, 2)), "must match input shape"),
        (lambda: L.cross_entropy(X, torch.rand(4, 3), ignore_index=0), "ignore_index"),
        (lambda: L.cross_entropy(X, CLASSES, torch.ones(2)), "one value per class"),
        (lambda: L.cross_entropy(X, CLASSES, label_smoothing=1.5), "label_smoothing"),
        (lambda: L.nll_loss(X, CLASSES[:2]), "does not match input shape"),
        (lambda: L.binary_cross_entropy(X.sigmoid(), torch.rand(4)), "same as input size"),
        (lambda: L.binary_cross_entropy_with_logits(X, torch.rand(3, 4)), "same as input size"),
        (lambda: L.mse_loss(X, X, weight=torch.ones(3)), "Weights and input must have the same"),
        (lambda: L.huber_loss(X, X, delta=0.0), "positive delta"),
        (lambda: L.smooth_l1_loss(X, X, beta=-1.0), "non-negative beta"),
        (lambda: L.triplet_margin_loss(X, X, X, margin=0.0), "margin must be greater than 0"),
        (lambda: L.triplet_margin_loss(X, X, X[0]), "same number of dimensions"),
        (lambda: L.softmax_focal_loss(X, CLASSES, alpha=[1.0, 2.0]), "one value per class"),
        (lambda: L.sigmoid_focal_loss(X, X.sigmoid(), reduction="avg"), "reduction"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_misuse_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_kl_div_mean_warns_that_it_is_not_the_kl_divergence_as_torch_does():
    log_q, t = X.log_softmax(1), X.softmax(1)
    with pytest.warns(UserWarning, match="batchmean"):
        L.kl_div(log_q, t)
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(log_q, t)


def test_regression_losses_warn_about_broadcasting_as_torch_does():
    with pytest.warns(UserWarning, match="different to the input size"):
        L.mse_loss(X, X[0])


@pytest.mark.parametrize(
    ("size_average", "reduce", "expected"),
    [(None, False, "none"), (False, None, "sum"), (True, True, "mean"), (False, False, "none")],
)
def test_legacy_arguments_reduce_as_in_torch(size_average, reduce, expected):
    with pytest.warns(UserWarning):
        value = L.l1_loss(X, CLASSES[:, None].float(), size_average, reduce)
    torch.testing.assert_close(
        value, F.l1_loss(X, CLASSES[:, None].float().expand_as(X), reduction=expected)
    )
