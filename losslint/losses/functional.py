"""Reference loss functions: readable, numerically stable, verified against torch.

The first ten take the same arguments, defaults and reductions as their namesakes in
``torch.nn.functional``; the last three have no stable built-in in torch. Each
docstring gives the formula, when to use the loss, and a worked example that runs
as a doctest, so ``help(losslint.losses.cross_entropy)`` doubles as a glossary entry.

Conventions shared by every function:

- pure tensor code (no Python loops over elements), so it runs on any device and
  under ``torch.compile``;
- float16/bfloat16 inputs are computed in float32, and the result comes back in the
  type torch would return (see ``precision.py``);
- where torch's fused kernel computes exactly the documented formula and composing
  it from elementwise ops would cost more than 1.25x (``benchmarks/losses.py``), the
  function calls that kernel: ``binary_cross_entropy``, ``mse_loss``,
  ``huber_loss``, ``smooth_l1_loss``, and ``nll_loss`` on class indices.
  ``tests/losses/test_formulas.py`` checks those kernels against the formula
  written out;
- values are not range-checked (a probability of 1.5, a target of 2 for BCE): that
  would cost a device-to-host sync on every call. ``losslint``'s runtime tracer
  reports those (LL014).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from losslint.losses.precision import autocast_off, upcast
from losslint.losses.reduction import reduce_loss, resolve_reduction

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "cross_entropy_from_probs",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "sigmoid_focal_loss",
    "smooth_l1_loss",
    "softmax_focal_loss",
    "triplet_margin_loss",
]


# --- classification: class indices or class probabilities -------------------------


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy between logits and a target class (index or probabilities).

    Formula, for logits x over C classes and target class y (w: class weights)::

        loss = -w[y] * log(softmax(x)[y]) = w[y] * (logsumexp(x) - x[y])
        logsumexp(x) = m + log(sum_c exp(x[c] - m)),   m = max_c x[c]

    Subtracting the maximum (``log_softmax`` does) means exp() never overflows, so
    logits of +-1e4 give a finite loss where ``log(softmax(x))`` gives inf.
    With probability targets t: ``loss = -sum_c w[c] * t[c] * log_softmax(x)[c]``.
    ``label_smoothing`` e replaces the target by ``(1 - e) * t + e / C``.
    ``'mean'`` divides by the summed weights of the targets kept (class indices;
    ``ignore_index`` targets count 0) or by the number of samples (probabilities).

    When to use: single-label classification, on the model's raw scores. Do not
    apply softmax first (LL001, "double softmax"): probabilities squash the loss into
    a narrow range and flatten its gradient. If only probabilities exist, use
    ``cross_entropy_from_probs``.

    Shapes: input (N, C), (C,) or (N, C, d1, ...); target that shape without the
    class dimension (indices) or the same shape (probabilities).

    Example::

        >>> import torch
        >>> from losslint.losses import cross_entropy
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> classes = torch.tensor([0, 1])
        >>> cross_entropy(logits, classes)
        tensor(0.3185)
        >>> cross_entropy(logits, classes, label_smoothing=0.1)
        tensor(0.4369)

    The "double softmax" bug computes another, flatter loss::

        >>> cross_entropy(logits.softmax(dim=1), classes)
        tensor(0.7450)
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    (x, w), result_dtype = upcast(input, weight)
    log_probs = torch.log_softmax(x, dim=_class_dim(x))
    loss = _cross_entropy_from_log_probs(
        log_probs, target, w, ignore_index, reduction, label_smoothing
    )
    return loss.to(result_dtype)


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of a target class, given log-probabilities.

    Formula, for log-probabilities x (``log_softmax`` output) and class y::

        loss = -w[y] * x[y]

    Targets equal to ``ignore_index`` contribute 0 and are left out of ``'mean'``,
    which divides by the summed weights w[y] of the targets kept.

    When to use: when the model already ends in ``log_softmax``;
    ``nll_loss(log_softmax(x))`` is ``cross_entropy(x)``. Softmax probabilities here
    (LL004) compute -p[y], which is not a likelihood.

    Example::

        >>> import torch
        >>> from losslint.losses import nll_loss
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> nll_loss(logits.log_softmax(dim=1), torch.tensor([0, 1]))
        tensor(0.3185)
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    (x, w), result_dtype = upcast(input, weight)
    if target.is_floating_point():
        loss = _cross_entropy_from_log_probs(x, target, w, ignore_index, reduction, 0.0)
        return loss.to(result_dtype)
    # Class indices: torch's kernel is a gather and a weighted mean, exact, and a
    # fraction of the composed form's passes. Shapes are checked first, so a wrong
    # target is refused with the same words as everywhere else here.
    _check_class_index_target(x, target)
    if w is not None:
        _along_class_dim(w, x)
    loss = F.nll_loss(x, target, w, ignore_index=ignore_index, reduction=reduction)
    return loss.to(result_dtype)


def cross_entropy_from_probs(
    probs: Tensor,
    target: Tensor,
    eps: float | None = None,
    *,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy for callers who only have probabilities, not logits.

    Formula::

        loss = -w[y] * log(max(p[y], eps))

    Targets, weights, ``ignore_index``, reductions and ``label_smoothing`` are those
    of ``cross_entropy``. ``eps`` defaults to the smallest normal number of the
    compute type (about 1.2e-38 in float32): the clamp touches only probabilities
    that underflowed to 0, turning log(0) = -inf into a finite loss (87.3 in
    float32). Rows are not renormalised.

    When to use: the model returns softmax probabilities and cannot be changed (a
    pretrained or third-party model). Prefer logits with ``cross_entropy`` whenever
    they exist: a probability that underflowed has lost the gradient its logit
    still carries.

    Example::

        >>> import torch
        >>> from losslint.losses import cross_entropy_from_probs
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> cross_entropy_from_probs(logits.softmax(dim=1), torch.tensor([0, 1]))
        tensor(0.3185)
        >>> cross_entropy_from_probs(torch.tensor([[1.0, 0.0]]), torch.tensor([1]))
        tensor(87.3365)
    """
    reduction = resolve_reduction(reduction)
    (p, w), result_dtype = upcast(probs, weight)
    floor = torch.finfo(p.dtype).tiny if eps is None else eps
    if target.is_floating_point() or label_smoothing > 0:
        log_probs = torch.log(p.clamp_min(floor))
        loss = _cross_entropy_from_log_probs(
            log_probs, target, w, ignore_index, reduction, label_smoothing
        )
        return loss.to(result_dtype)
    # Class indices: only p[y] is needed, so take one log per sample, not one per class.
    p_y, target_weight, keep = _pick_target(p, target, w, ignore_index)
    loss = torch.where(keep, -target_weight * torch.log(p_y.clamp_min(floor)), 0.0)
    return reduce_loss(loss, reduction, weight_sum=target_weight.sum()).to(result_dtype)


def _class_dim(x: Tensor) -> int:
    """Classes are dim 1 of a batch (N, C, ...), dim 0 of a single sample (C,)."""
    return 0 if x.dim() == 1 else 1


def _cross_entropy_from_log_probs(
    log_probs: Tensor,
    target: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
    label_smoothing: float,
) -> Tensor:
    """Cross-entropy against class indices or class probabilities, from log-probabilities."""
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    class_dim = _class_dim(log_probs)
    n_classes = log_probs.shape[class_dim]
    class_weight = None if weight is None else _along_class_dim(weight, log_probs)

    if target.is_floating_point():
        if target.shape != log_probs.shape:
            raise ValueError(
                f"probability target of shape {tuple(target.shape)} must match input shape "
                f"{tuple(log_probs.shape)}"
            )
        if ignore_index >= 0:
            raise ValueError("ignore_index is not supported for probability targets")
        t = target.to(log_probs.dtype)
        if label_smoothing > 0:
            t = t * (1 - label_smoothing) + label_smoothing / n_classes
        if class_weight is not None:
            t = t * class_weight
        return reduce_loss(-(t * log_probs).sum(class_dim), reduction)

    log_p_y, target_weight, keep = _pick_target(log_probs, target, weight, ignore_index)
    loss = -target_weight * log_p_y
    if label_smoothing > 0:
        # The uniform part of the smoothed target: every class, each with its weight.
        weighted = log_probs if class_weight is None else log_probs * class_weight
        uniform = -weighted.sum(class_dim)
        loss = (1 - label_smoothing) * loss + (label_smoothing / n_classes) * uniform
    # where(), not a product with 0: an ignored row may hold -inf, and 0 * inf = NaN.
    loss = torch.where(keep, loss, 0.0)
    return reduce_loss(loss, reduction, weight_sum=target_weight.sum())


def _pick_target(
    scores: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int
) -> tuple[Tensor, Tensor, Tensor]:
    """Per element: the target class's score, its weight (0 where ignored), the kept mask."""
    class_dim = _class_dim(scores)
    _check_class_index_target(scores, target)
    keep = target != ignore_index
    # Ignored positions read class 0 (always valid) and are masked out afterwards.
    safe_target = torch.where(keep, target, 0)
    score_y = scores.gather(class_dim, safe_target.unsqueeze(class_dim)).squeeze(class_dim)
    if weight is None:
        target_weight = keep.to(scores.dtype)
    else:
        target_weight = torch.where(keep, weight[safe_target], 0.0)
    return score_y, target_weight, keep


def _check_class_index_target(scores: Tensor, target: Tensor) -> None:
    class_dim = _class_dim(scores)
    expected = scores.shape[:class_dim] + scores.shape[class_dim + 1 :]
    if target.shape != expected:
        raise ValueError(
            f"class-index target of shape {tuple(target.shape)} does not match input shape "
            f"{tuple(scores.shape)}: expected {tuple(expected)}"
        )


def _along_class_dim(weight: Tensor, x: Tensor) -> Tensor:
    """Per-class ``weight`` of shape (C,), viewed to broadcast against ``x``."""
    class_dim = _class_dim(x)
    n_classes = x.shape[class_dim]
    if weight.shape != (n_classes,):
        raise ValueError(
            f"weight must hold one value per class, shape ({n_classes},), got {tuple(weight.shape)}"
        )
    return weight.view((n_classes,) + (1,) * (x.dim() - class_dim - 1))


# --- binary: probabilities or logits -----------------------------------------------


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross-entropy between probabilities p and targets y in [0, 1].

    Formula::

        loss = -w * (y * log(p) + (1 - y) * log(1 - p))

    Each log is floored at -100, so p = 0 or 1 costs at most 100 instead of inf.
    Computed by torch's fused kernel (see the module docstring), which also keeps
    the gradient finite there: (p - y) / max(p * (1 - p), 1e-12). Unlike torch's,
    this one also runs under CUDA autocast: it computes in float32.

    When to use: only when the model must output probabilities. With logits use
    ``binary_cross_entropy_with_logits``: sigmoid then BCE (LL006) loses precision
    once the sigmoid saturates, and torch refuses it under CUDA autocast. Unbounded
    scores here (LL007) are wrong outright.

    Example::

        >>> import torch
        >>> from losslint.losses import binary_cross_entropy
        >>> p = torch.tensor([0.9, 0.2, 0.8, 0.1])
        >>> binary_cross_entropy(p, torch.tensor([1.0, 0.0, 1.0, 0.0]))
        tensor(0.1643)

    A confident wrong answer costs far more than a confident right one saves::

        >>> binary_cross_entropy(torch.tensor([0.01, 0.99]), torch.ones(2), reduction="none")
        tensor([4.6052, 0.0101])
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    _check_same_shape(input, target)
    (p, y, w), result_dtype = upcast(input, target, weight)
    if w is not None:
        w = w.expand(p.shape)
    # Autocast refuses this op on CUDA for half inputs; ours are float32 by now.
    with autocast_off(p.device.type):
        loss = F.binary_cross_entropy(p, y, w, reduction=reduction)
    return loss.to(result_dtype)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross-entropy of sigmoid(x), computed from the logit x.

    Formula::

        loss = -w * (y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))
             = w * ((1 - y) * softplus(x) + y * softplus(-x))
        softplus(z) = log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))

    Summed, that is the textbook max(x, 0) - x * y + log1p(exp(-|x|)): exp() only
    ever sees -|x| <= 0, so the loss is finite for any logit. Kept as two terms, both
    >= 0, nothing cancels, so a confident right answer keeps its small loss exactly
    (torch's own kernel rounds some of those). ``pos_weight`` q (one value per class,
    broadcast over the last dimension) scales the positive term:
    ``loss = w * ((1 - y) * softplus(x) + q * y * softplus(-x))``.

    When to use: binary and multi-label classification on raw scores. Do not apply
    sigmoid first (LL002, "double sigmoid").

    Example::

        >>> import torch
        >>> from losslint.losses import binary_cross_entropy_with_logits
        >>> logits = torch.logit(torch.tensor([0.9, 0.2, 0.8, 0.1]))
        >>> binary_cross_entropy_with_logits(logits, torch.tensor([1.0, 0.0, 1.0, 0.0]))
        tensor(0.1643)
        >>> binary_cross_entropy_with_logits(torch.tensor([1e4, -1e4]), torch.tensor([0.0, 1.0]))
        tensor(10000.)
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    _check_same_shape(input, target)
    (x, y, w, q), result_dtype = upcast(input, target, weight, pos_weight)
    loss = _bce_with_logits(x, y, q)
    if w is not None:
        loss = loss * w
    return reduce_loss(loss, reduction).to(result_dtype)


def _bce_with_logits(x: Tensor, y: Tensor, pos_weight: Tensor | None = None) -> Tensor:
    """Per-element BCE with logits, both terms kept apart so that nothing cancels.

    -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x). For a
    hard target the loss is one term, softplus(x * (1 - 2y)), computed unrounded: a
    confident right answer (y = 1, x = 15) keeps its loss of 3e-7, where
    softplus(x) - x * y (and torch's own kernel, for y = 0, x = -15) rounds it to 0
    in float32. Any target is u, the nearest of 0 and 1, plus a rest:
    softplus(x * (1 - 2u)) + x * (u - y), exact for every y and cancelling only in
    the rest, which is 0 for hard targets. ``_BCEWithLogits`` computes that with a
    hand-written backward (sigmoid(x) - y, in the same split), a third of the
    passes over memory autograd would make; the composed form is kept where the
    target itself needs a gradient, under ``torch.compile``, and for ``pos_weight``.
    """
    if pos_weight is not None:
        return (1 - y) * _softplus(x) + pos_weight * y * _softplus(-x)
    if y.requires_grad or torch.compiler.is_compiling():
        return torch.lerp(_softplus(x), _softplus(-x), y)
    return _BCEWithLogits.apply(x, y, _all_hard(y))


def _softplus(z: Tensor) -> Tensor:
    """log(1 + exp(z)), stable; in float64 exact past 20, where F.softplus goes linear."""
    if z.dtype == torch.float64:
        return torch.logaddexp(z, z.new_zeros(()))
    return F.softplus(z)


_HARD_PROBE = 1024  # elements looked at first: soft targets show at once


def _all_hard(y: Tensor) -> bool:
    """True when every target is exactly 0 or 1 (y * y == y), read only where it is free.

    On a GPU, reading the answer would cost a device sync on every call, so the
    general form runs there; it computes the same values, in a few more passes.
    """
    if y.device.type != "cpu":
        return False
    flat = y.reshape(-1)
    head = flat[:_HARD_PROBE]
    if not torch.equal(head * head, head):
        return False
    return flat.numel() <= _HARD_PROBE or torch.equal(flat * flat, flat)


class _BCEWithLogits(torch.autograd.Function):
    """softplus(x * s) + x * (u - y), s = 1 - 2u, u = round(y) in {0, 1}; see above."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, y: Tensor, hard: bool) -> Tensor:  # type: ignore[override]
        if hard:
            s = torch.sub(1, y, alpha=2)  # y = 0 -> 1, y = 1 -> -1
            ctx.save_for_backward(x, s, None)
            return _softplus(x * s)
        u = y.round().clamp_(0, 1)
        s = torch.sub(1, u, alpha=2)
        rest = u.sub_(y)
        ctx.save_for_backward(x, s, rest)
        return torch.addcmul(_softplus(x * s), x, rest)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, None, None]:  # type: ignore[override]
        x, s, rest = ctx.saved_tensors
        # sigmoid(x) - y = s * sigmoid(x * s) + (u - y): -sigmoid(-x) where u = 1,
        # without the cancellation of sigmoid(x) - 1. Recomputed from x, so a second
        # derivative (create_graph=True) is taken through these same ops.
        if torch.is_grad_enabled():
            dx = torch.sigmoid(x * s) * s
            if rest is not None:
                dx = dx + rest
            return dx * grad, None, None
        dx = torch.sigmoid(x * s).mul_(s)
        if rest is not None:
            dx.add_(rest)
        return dx.mul_(grad), None, None


def _check_same_shape(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        raise ValueError(
            f"target size {tuple(target.shape)} must be the same as input size {tuple(input.shape)}"
        )


# --- distributions ----------------------------------------------------------------


def kl_div(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence KL(t || q), given log q.

    Formula, per element, with 0 * log(0) = 0::

        loss = t * (log(t) - log(q))

    ``input`` is log q (``log_softmax`` output); ``target`` is t, or log t when
    ``log_target=True``. The divergence of a row is the sum over its elements, so
    ``reduction='batchmean'`` (the sum divided by the batch size) is the KL
    divergence; ``'mean'`` also divides by the number of classes, and warns as
    torch does (LL009).

    When to use: knowledge distillation, matching a predicted distribution to a
    target one. ``input`` must be log-probabilities (LL008): with probabilities the
    loss is smallest in the wrong place.

    Example::

        >>> import torch
        >>> from losslint.losses import kl_div
        >>> log_q = torch.tensor([[0.4, 0.6], [0.5, 0.5]]).log()
        >>> t = torch.tensor([[0.8, 0.2], [0.5, 0.5]])
        >>> kl_div(log_q, t, reduction="batchmean")
        tensor(0.1674)
    """
    allowed = ("none", "mean", "sum", "batchmean")
    if size_average is None and reduce is None and reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size. 'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.",
            stacklevel=2,
        )
    reduction = resolve_reduction(reduction, size_average, reduce, allowed)
    (log_q, t), result_dtype = upcast(input, target)
    if log_target:
        loss = torch.exp(t) * (t - log_q)
    else:
        loss = torch.xlogy(t, t) - t * log_q
    if reduction == "batchmean":
        batch_size = input.shape[0] if input.dim() > 0 else 1
        return (loss.sum() / batch_size).to(result_dtype)
    return reduce_loss(loss, reduction).to(result_dtype)


# --- regression ---------------------------------------------------------------------


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error.

    Formula::

        loss = w * (x - y) ** 2

    With ``weight``, ``'mean'`` divides by sum(w), as torch does. Computed by
    torch's fused kernel (see the module docstring).

    When to use: regression with roughly Gaussian noise; large errors dominate (see
    ``huber_loss`` when outliers should not). Not for classification (LL003): squared
    error on probabilities has almost no gradient for a confident mistake.

    Example::

        >>> import torch
        >>> from losslint.losses import mse_loss
        >>> predictions = torch.tensor([2.5, 0.0, 2.0, 8.0])
        >>> targets = torch.tensor([3.0, -0.5, 2.0, 7.0])
        >>> mse_loss(predictions, targets)
        tensor(0.3750)
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    x, y, w, result_dtype = _regression_operands(input, target, weight)
    if w is None:
        return F.mse_loss(x, y, reduction=reduction).to(result_dtype)
    loss = F.mse_loss(x, y, reduction="none") * w
    return reduce_loss(loss, reduction, weight_sum=w.sum()).to(result_dtype)


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean absolute error.

    Formula::

        loss = w * |x - y|

    With ``weight``, ``'mean'`` divides by sum(w), as torch does.

    When to use: regression robust to outliers (it estimates the median). Its
    gradient has the same size for every error, so it can settle slowly; see
    ``huber_loss``.

    Example::

        >>> import torch
        >>> from losslint.losses import l1_loss
        >>> predictions = torch.tensor([2.5, 0.0, 2.0, 8.0])
        >>> targets = torch.tensor([3.0, -0.5, 2.0, 7.0])
        >>> l1_loss(predictions, targets)
        tensor(0.5000)
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    x, y, w, result_dtype = _regression_operands(input, target, weight)
    loss = (x - y).abs()
    if w is None:
        return reduce_loss(loss, reduction).to(result_dtype)
    return reduce_loss(loss * w, reduction, weight_sum=w.sum()).to(result_dtype)


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """Huber loss: squared error for small errors, absolute error beyond ``delta``.

    Formula, for d = x - y::

        loss = 0.5 * d ** 2                   if |d| <= delta
               delta * (|d| - 0.5 * delta)    otherwise

    Computed by torch's fused kernel (see the module docstring). With ``weight``,
    ``'mean'`` is the plain mean of w * loss (torch's choice; ``mse_loss`` and
    ``l1_loss`` divide by sum(w)).

    When to use: regression with outliers (robust fitting, box regression). It is
    ``smooth_l1_loss`` times ``delta``.

    Example::

        >>> import torch
        >>> from losslint.losses import huber_loss
        >>> predictions = torch.tensor([2.5, 0.0, 2.0, 8.0])
        >>> targets = torch.tensor([3.0, -0.5, 2.0, 7.0])
        >>> huber_loss(predictions, targets, delta=1.0)
        tensor(0.1875)
    """
    reduction = resolve_reduction(reduction)
    if delta <= 0:
        raise ValueError(f"huber_loss needs a positive delta, got {delta}")
    x, y, w, result_dtype = _regression_operands(input, target, weight)
    if w is None:
        return F.huber_loss(x, y, reduction=reduction, delta=delta).to(result_dtype)
    loss = F.huber_loss(x, y, reduction="none", delta=delta) * w
    return reduce_loss(loss, reduction).to(result_dtype)


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Smooth L1 loss: the Huber loss divided by its threshold ``beta``.

    Formula, for d = x - y::

        loss = 0.5 * d ** 2 / beta    if |d| < beta
               |d| - 0.5 * beta       otherwise

    ``beta = 0`` is ``l1_loss``. Computed by torch's fused kernel (see the module
    docstring).

    When to use: as ``huber_loss``; this is the form of Fast R-CNN's box
    regression. Its slope beyond ``beta`` is 1 whatever ``beta`` is.

    Example::

        >>> import torch
        >>> from losslint.losses import smooth_l1_loss
        >>> predictions = torch.tensor([2.5, 0.0, 2.0, 8.0])
        >>> targets = torch.tensor([3.0, -0.5, 2.0, 7.0])
        >>> smooth_l1_loss(predictions, targets, beta=1.0)
        tensor(0.1875)
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss needs a non-negative beta, got {beta}")
    x, y, _, result_dtype = _regression_operands(input, target, None)
    return F.smooth_l1_loss(x, y, reduction=reduction, beta=beta).to(result_dtype)


def _regression_operands(
    input: Tensor, target: Tensor, weight: Tensor | None
) -> tuple[Tensor, Tensor, Tensor | None, torch.dtype]:
    """Input and target broadcast together (with torch's warning), weight checked, upcast."""
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )
    if weight is not None and weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    x, y = torch.broadcast_tensors(input, target)
    (x, y, w), result_dtype = upcast(x, y, weight)
    return x, y, w, result_dtype


# --- metric learning ----------------------------------------------------------------


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Triplet margin loss: the anchor should be nearer the positive than the negative.

    Formula, for anchor a, positive p, negative n::

        loss = max(d(a, p) - d(a, n) + margin, 0)
        d(u, v) = ||u - v + eps||_p    (the p-norm over the last dimension)

    The eps inside the norm, as in torch's ``pairwise_distance``, keeps the gradient
    finite when two embeddings coincide. ``swap=True`` uses min(d(a, n), d(p, n)) as
    the negative distance (Balntas et al., 2016).

    When to use: metric learning (face or image embeddings, retrieval, ranking).

    Example::

        >>> import torch
        >>> from losslint.losses import triplet_margin_loss
        >>> anchor = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
        >>> positive = torch.tensor([[0.0, 1.0], [1.0, 1.5]])
        >>> negative = torch.tensor([[0.0, 1.5], [4.0, 5.0]])
        >>> triplet_margin_loss(anchor, positive, negative, eps=0.0, reduction="none")
        tensor([0.5000, 0.0000])
    """
    reduction = resolve_reduction(reduction, size_average, reduce)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.dim() == positive.dim() == negative.dim():
        raise ValueError(
            "anchor, positive and negative must have the same number of dimensions, got "
            f"{anchor.dim()}, {positive.dim()} and {negative.dim()}"
        )
    (a, pos, neg), result_dtype = upcast(anchor, positive, negative)

    def distance(u: Tensor, v: Tensor) -> Tensor:
        return torch.linalg.vector_norm(u - v + eps, ord=p, dim=-1)

    d_pos = distance(a, pos)
    d_neg = distance(a, neg)
    if swap:
        d_neg = torch.minimum(d_neg, distance(pos, neg))
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return reduce_loss(loss, reduction).to(result_dtype)


# --- focal losses (Lin et al., 2017): no built-in in torch ---------------------------


def sigmoid_focal_loss(
    inputs: Tensor,
    targets: Tensor,
    alpha: float = 0.25,
    gamma: float = 2.0,
    reduction: str = "none",
) -> Tensor:
    """Focal loss for binary and multi-label classification, from logits.

    Formula (Lin et al., 2017), for p = sigmoid(x) and target y in {0, 1}::

        loss = -alpha_t * (1 - p_t) ** gamma * log(p_t)
        p_t = p if y == 1 else 1 - p;   alpha_t = alpha if y == 1 else 1 - alpha

    Soft targets interpolate both, exactly as torchvision's ``sigmoid_focal_loss``,
    whose contract this follows: same arguments and defaults (including
    ``reduction='none'``), and ``alpha < 0`` disables the weighting.

    Stable form: -log(p_t) = softplus(x) - x * y and 1 - p_t = (1 - y) * sigmoid(x)
    + y * sigmoid(-x) (never 1 - p), so neither overflows nor turns into NaN for any
    logit.

    When to use: dense detection and other heavily imbalanced problems, where the
    many easy negatives would otherwise swamp the loss. ``gamma=0, alpha=-1`` is
    plain ``binary_cross_entropy_with_logits``.

    Example::

        >>> import torch
        >>> from losslint.losses import sigmoid_focal_loss
        >>> logits = torch.tensor([3.0, -1.0, 0.5])
        >>> targets = torch.tensor([1.0, 1.0, 0.0])
        >>> sigmoid_focal_loss(logits, targets)
        tensor([2.7321e-05, 1.7547e-01, 2.8306e-01])
    """
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(
            f"Invalid Value for arg 'reduction': '{reduction}' \n"
            " Supported reduction modes: 'none', 'mean', 'sum'"
        )
    _check_same_shape(inputs, targets)
    (x, y), result_dtype = upcast(inputs, targets)
    # softplus(x) - x * y rounds the cross-entropy of a confident right answer (see
    # _bce_with_logits), but the factor (1 - p_t) ** gamma is then ~0 and takes the
    # error with it; it saves a third of the work of the exact form (benchmarks/losses.py).
    ce = F.softplus(x) - x * y
    # lerp returns its end points exactly, so hard targets get sigmoid(+-x) unrounded.
    one_minus_p_t = torch.lerp(torch.sigmoid(x), torch.sigmoid(-x), y)
    loss = ce * _focal_modulation(one_minus_p_t, gamma)
    if alpha >= 0:
        alpha_t = (1 - alpha) + (2 * alpha - 1) * y  # alpha where y = 1, 1 - alpha where 0
        loss = alpha_t * loss
    return reduce_loss(loss, reduction).to(result_dtype)


def softmax_focal_loss(
    logits: Tensor,
    target: Tensor,
    alpha: Tensor | Sequence[float] | None = None,
    gamma: float = 2.0,
    reduction: str = "mean",
    ignore_index: int = -100,
) -> Tensor:
    """Focal loss for single-label, multi-class classification, from logits.

    Formula, for logits x and target class y::

        loss = -alpha[y] * (1 - p_y) ** gamma * log(p_y),   log(p_y) = log_softmax(x)[y]

    ``alpha`` is an optional weight per class, like ``cross_entropy``'s ``weight``;
    ``'mean'`` divides by the summed alpha[y] of the targets kept, so ``gamma=0`` is
    exactly ``cross_entropy(logits, target, weight=alpha)``. Shapes, ``ignore_index``
    and reductions are those of ``cross_entropy`` with class indices.

    Stable form: log(p_y) comes from ``log_softmax``, and 1 - p_y is computed as
    -expm1(log(p_y)), accurate even when p_y is within rounding of 1.

    When to use: class-imbalanced classification or segmentation, to down-weight the
    examples the model already gets right.

    Example::

        >>> import torch
        >>> from losslint.losses import softmax_focal_loss
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> softmax_focal_loss(logits, torch.tensor([0, 1]), gamma=2.0)
        tensor(0.0285)
        >>> softmax_focal_loss(logits, torch.tensor([0, 1]), gamma=0.0)
        tensor(0.3185)
    """
    reduction = resolve_reduction(reduction)
    if isinstance(alpha, (int, float)):
        raise TypeError(
            "alpha must hold one weight per class (a tensor or sequence of length C); "
            "a single number would only rescale the loss"
        )
    if alpha is not None and not isinstance(alpha, Tensor):
        alpha = torch.tensor(alpha, device=logits.device)
    (x, w), result_dtype = upcast(logits, alpha)
    if w is not None:
        _along_class_dim(w, x)  # validates the shape
    log_probs = torch.log_softmax(x, dim=_class_dim(x))
    log_p_y, target_weight, keep = _pick_target(log_probs, target, w, ignore_index)
    one_minus_p_y = -torch.expm1(log_p_y)
    loss = -target_weight * _focal_modulation(one_minus_p_y, gamma) * log_p_y
    loss = torch.where(keep, loss, 0.0)
    return reduce_loss(loss, reduction, weight_sum=target_weight.sum()).to(result_dtype)


def _focal_modulation(one_minus_p_t: Tensor, gamma: float) -> Tensor:
    """(1 - p_t) ** gamma, with a finite gradient where 1 - p_t is exactly 0.

    For 0 < gamma < 1 the power's derivative is infinite at 0, and 0 * inf = NaN in
    backward. Flooring at the smallest normal number keeps it finite and changes no
    value by more than tiny ** gamma.
    """
    if 0 < gamma < 1:
        one_minus_p_t = one_minus_p_t.clamp_min(torch.finfo(one_minus_p_t.dtype).tiny)
    return one_minus_p_t**gamma
