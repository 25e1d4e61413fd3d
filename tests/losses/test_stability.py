"""Numerical stability: finite losses and gradients where the textbook formula is not.

Logits of +-1e4 in float32: exp() of them overflows, and softmax or sigmoid of them
rounds to exactly 0 or 1, so a naive transcription gives inf or NaN. Each test first
shows the naive formula failing on its input, so the input really is hard.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import losslint.losses as L

from .helpers import value_and_grads

BIG = 1e4
LOGITS = torch.tensor([[BIG, -BIG, 0.0], [-BIG, BIG, 5.0], [0.5, -0.5, -BIG]])
CLASSES = torch.tensor([1, 1, 2])  # wrong, right, wrong
BINARY_LOGITS = torch.tensor([BIG, -BIG, BIG, -BIG, 3.0])
BINARY_TARGETS = torch.tensor([1.0, 1.0, 0.0, 0.0, 1.0])


def assert_finite(value: torch.Tensor, grads: list[torch.Tensor]) -> None:
    assert torch.isfinite(value).all(), value
    for g in grads:
        assert torch.isfinite(g).all(), g


def naive_cross_entropy(x, y):
    return -torch.log(torch.softmax(x, dim=1))[torch.arange(len(y)), y].mean()


def naive_binary_cross_entropy(x, y):
    p = torch.sigmoid(x)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def naive_focal(x, y, gamma):
    p = torch.sigmoid(x)
    p_t = torch.where(y == 1, p, 1 - p)
    return -((1 - p_t) ** gamma * torch.log(p_t)).mean()


def test_naive_formulas_fail_on_these_inputs():
    assert not torch.isfinite(naive_cross_entropy(LOGITS, CLASSES))
    assert not torch.isfinite(naive_binary_cross_entropy(BINARY_LOGITS, BINARY_TARGETS))
    assert not torch.isfinite(naive_focal(BINARY_LOGITS, BINARY_TARGETS, 2.0))


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_is_finite_and_exact_for_huge_logits(label_smoothing):
    value, grads = value_and_grads(
        L.cross_entropy, [LOGITS, CLASSES], (0,), label_smoothing=label_smoothing
    )
    assert_finite(value, grads)
    expected = F.cross_entropy(LOGITS, CLASSES, label_smoothing=label_smoothing)
    torch.testing.assert_close(value, expected)


def test_binary_cross_entropy_with_logits_is_finite_and_exact_for_huge_logits():
    value, grads = value_and_grads(
        L.binary_cross_entropy_with_logits, [BINARY_LOGITS, BINARY_TARGETS], (0,), reduction="none"
    )
    assert_finite(value, grads)
    expected = torch.tensor([0.0, BIG, BIG, 0.0, F.softplus(torch.tensor(-3.0)).item()])
    torch.testing.assert_close(value, expected)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 5.0])
def test_sigmoid_focal_loss_is_finite_for_huge_logits(gamma):
    value, grads = value_and_grads(
        L.sigmoid_focal_loss, [BINARY_LOGITS, BINARY_TARGETS], (0,), gamma=gamma
    )
    assert_finite(value, grads)
    # Confidently right: no loss. Confidently wrong: the full cross-entropy, weighted.
    torch.testing.assert_close(value[:4], torch.tensor([0.0, 0.25 * BIG, 0.75 * BIG, 0.0]))


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_softmax_focal_loss_is_finite_for_huge_logits(gamma):
    value, grads = value_and_grads(
        L.softmax_focal_loss, [LOGITS, CLASSES], (0,), gamma=gamma, reduction="none"
    )
    assert_finite(value, grads)
    torch.testing.assert_close(value[1], torch.tensor(0.0))


def test_kl_div_is_finite_for_log_probabilities_of_huge_logits():
    log_q = torch.log_softmax(LOGITS, dim=1)
    t = torch.softmax(LOGITS.flip(0), dim=1)  # holds exact zeros
    value, grads = value_and_grads(L.kl_div, [log_q, t], (0,), reduction="batchmean")
    assert_finite(value, grads)
    torch.testing.assert_close(value, F.kl_div(log_q, t, reduction="batchmean"))


def test_cross_entropy_from_probs_is_finite_for_probabilities_of_exactly_0_and_1():
    probs = torch.softmax(LOGITS, dim=1)
    assert (probs == 0).any() and (probs == 1).any()
    for smoothing in (0.0, 0.1):
        value, grads = value_and_grads(
            L.cross_entropy_from_probs, [probs, CLASSES], (0,), label_smoothing=smoothing
        )
        assert_finite(value, grads)


def test_binary_cross_entropy_is_finite_for_probabilities_of_exactly_0_and_1():
    probs = torch.tensor([0.0, 1.0, 0.0, 1.0])
    targets = torch.tensor([0.0, 1.0, 1.0, 0.0])
    value, grads = value_and_grads(L.binary_cross_entropy, [probs, targets], (0,), reduction="none")
    assert_finite(value, grads)
    torch.testing.assert_close(value, torch.tensor([0.0, 0.0, 100.0, 100.0]))


def test_half_precision_logits_near_the_float16_limit_stay_finite():
    logits = torch.tensor([[6e4, -6e4, 0.0], [-6e4, 6e4, 1.0]], dtype=torch.float16)
    classes = torch.tensor([1, 1])
    value, grads = value_and_grads(L.cross_entropy, [logits, classes], (0,))
    assert value.dtype == torch.float16
    assert_finite(value, grads)
    value, grads = value_and_grads(L.sigmoid_focal_loss, [logits, torch.ones(2, 3)], (0,))
    assert_finite(value, grads)


def test_bce_with_logits_keeps_the_small_loss_of_a_confident_right_answer_exact():
    # Right answers with growing confidence: the loss falls to 1e-13, and must keep its
    # relative precision in float32, not round to 0 (softplus(x) - x * y) or lose digits.
    logits = torch.tensor([10.0, 15.0, 17.0, 30.0, -10.0, -15.0, -30.0])
    targets = torch.tensor([1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    value, (grad,) = value_and_grads(
        L.binary_cross_entropy_with_logits, [logits, targets], (0,), reduction="none"
    )
    exact = F.softplus(-logits.double().abs())  # -log(p_t) for these, computed in float64
    torch.testing.assert_close(value.double(), exact, rtol=1e-6, atol=0)
    # sigmoid(x) - y, without its cancellation: -sigmoid(-x) where y = 1.
    exact_grad = torch.where(targets == 1, -torch.sigmoid(-logits.double()), torch.sigmoid(logits))
    torch.testing.assert_close(grad.double(), exact_grad, rtol=1e-6, atol=0)


def test_bce_with_logits_in_float64_keeps_the_log_term_past_softplus_threshold():
    # F.softplus returns x itself above 20: x = 25, y = 0 would give 25.0 exactly.
    value = L.binary_cross_entropy_with_logits(
        torch.tensor([25.0], dtype=torch.float64), torch.tensor([0.0], dtype=torch.float64)
    )
    assert value.item() == pytest.approx(25.000000000013888, rel=1e-15, abs=0)
    assert value.item() != 25.0


@pytest.mark.parametrize("soft", [False, True], ids=["hard targets", "soft targets"])
def test_bce_with_logits_hard_and_general_forms_agree_with_float64(soft):
    # Hard targets take the one-term form (on CPU, where reading them is free); any
    # other target the general split. Both must match the exact value and gradient.
    g = torch.Generator().manual_seed(3)
    logits = torch.randn(64, 9, generator=g) * 12
    targets = torch.rand(64, 9, generator=g)
    targets = targets if soft else targets.round()
    value, (grad,) = value_and_grads(
        L.binary_cross_entropy_with_logits, [logits, targets], (0,), reduction="none"
    )
    x, y = logits.double(), targets.double()
    exact = (1 - y) * F.softplus(x, threshold=60) + y * F.softplus(-x, threshold=60)
    torch.testing.assert_close(value.double(), exact, rtol=2e-6, atol=1e-7)
    torch.testing.assert_close(grad.double(), torch.sigmoid(x) - y, rtol=2e-6, atol=1e-7)


def test_bce_with_logits_general_form_on_hard_targets_is_the_hard_form():
    from losslint.losses.functional import _BCEWithLogits

    logits = torch.tensor([10.0, 15.0, 30.0, -10.0, -15.0, -30.0, 0.3])
    targets = torch.tensor([1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0])
    for form in (True, False):
        x = logits.clone().requires_grad_()
        value = _BCEWithLogits.apply(x, targets, form)
        (grad,) = torch.autograd.grad(value.sum(), x)
        if form:
            hard_value, hard_grad = value, grad
    assert torch.equal(value, hard_value) and torch.equal(grad, hard_grad)


def test_bce_with_logits_target_gradient_and_second_derivative_match_torch():
    g = torch.Generator().manual_seed(4)
    x = (torch.randn(5, 3, generator=g, dtype=torch.float64) * 3).requires_grad_()
    y = torch.rand(5, 3, generator=g, dtype=torch.float64).requires_grad_()
    assert torch.autograd.gradcheck(L.binary_cross_entropy_with_logits, (x, y))
    hard = torch.rand(5, 3, generator=g, dtype=torch.float64).round()
    assert torch.autograd.gradgradcheck(lambda a: L.binary_cross_entropy_with_logits(a, hard), (x,))
