"""The catalog rules that make sense on real tensors, one function per loss family.

Each rule asks provenance first (free: graph attributes only) and queues value
statistics only where provenance is silent or the question is about values
(targets); one ``Probe.read`` per call then answers them all. A rule returns
``Finding``s: the problem in words, the advice, and a thunk computing the loss as
it should have been with the reference losses of ``losslint.losses``, which
``report.py`` evaluates only for a finding it actually reports (once per site).

Precision over recall: soft targets are legitimate, an unknown tensor is never
reported, and value predicates are strict (see ``values.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from losslint import losses as reference
from losslint.tracer.calls import REGRESSION, LossCall
from losslint.tracer.provenance import Origin, Provenance, provenance
from losslint.tracer.values import (
    TARGET_ROW_TOLERANCE,
    Probe,
    class_index_range,
    is_probability_rows,
    one_hot_along,
    out_of_range_spread,
    readable,
    row_stats,
    strictly_inside,
)

BY_VALUES = "every row in [0, 1] summing to 1"


@dataclass(frozen=True)
class Finding:
    """One rule broken by one call, before it is placed at a site and worded in full."""

    code: str
    what: str  # the problem, naming the loss and what was found
    advice: str  # what to change
    observed_as: str = ""  # words after the observed loss value ("with probabilities")
    corrected: Callable[[], Any] | None = None  # the loss as it should be (None: unknown)
    corrected_as: str = ""  # words after the corrected value ("from the logits")
    note: str = ""  # a fact that puts the numbers in context, after them


def check(call: LossCall) -> list[Finding]:
    """Every finding for ``call``; empty when the inputs are not plain tensors."""
    if not isinstance(call.input, torch.Tensor) or not isinstance(call.target, torch.Tensor):
        return []
    rule = _RULES.get(call.function)
    if rule is None:
        return []
    with torch.no_grad():
        return rule(call)


# -- helpers ---------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _is_index(tensor: torch.Tensor) -> bool:
    return not tensor.is_floating_point() and not tensor.is_complex() and tensor.dtype != torch.bool


def _class_dim(tensor: torch.Tensor) -> int:
    """The class dim of cross_entropy / nll_loss inputs: 1, or 0 when unbatched."""
    return 1 if tensor.dim() >= 2 else 0


def _as_logits(probabilities: torch.Tensor, origin: Origin) -> torch.Tensor | None:
    """Logits that reproduce ``probabilities`` under the activation they came from.

    For softmax, log(p) differs from the original logits by a per-row constant,
    which cross-entropy ignores. Saturated values (exact 0s, or 1s after a sigmoid)
    have no logit: None then, since any clamped stand-in would make up the
    corrected loss (one-hot rows would give "0 from the logits").
    """
    p = probabilities.detach().float()
    if origin is Origin.SIGMOID:
        if bool(((p <= 0) | (p >= 1)).any()):
            return None
        return torch.logit(p)
    return _safe_log(p)


def _safe_log(probabilities: torch.Tensor) -> torch.Tensor | None:
    """The log-probabilities the user meant to pass; None where a value is 0 (saturated)."""
    p = probabilities.detach().float()
    if bool((p <= 0).any()):
        return None
    return p.log()


def _unless_none(
    compute: Callable[[torch.Tensor], torch.Tensor], value: torch.Tensor | None
) -> torch.Tensor | None:
    return None if value is None else compute(value)


def _cross_entropy_floor(call: LossCall, classes: int) -> str:
    """The lowest loss a cross-entropy of probabilities can reach, when it is simple.

    Logits confined to [0, 1] give the right class at most e/(e + C - 1): with hard
    targets, no smoothing and a mean, the loss never goes below log(1 + (C-1)/e),
    which is why a double softmax looks like a healthy loss at step 0 and then
    stops learning.
    """
    if (
        classes < 2
        or not _is_index(call.target)
        or call.reduction != "mean"
        or call.option("label_smoothing", 0.0)
    ):
        return ""
    floor = math.log1p((classes - 1) / math.e)
    return f"with {classes} classes this loss can never go below {floor:.2f}"


def _drop(origin: Origin, fallback: str) -> str:
    """Advice for probabilities passed where logits belong."""
    if origin is Origin.SOFTMAX:
        return "drop the softmax and pass the logits"
    if origin is Origin.SIGMOID:
        return "drop the sigmoid and pass the logits"
    return fallback


@dataclass(frozen=True)
class Probabilities:
    """A verdict that a tensor holds probabilities: which kind, and how we know."""

    origin: Origin  # SOFTMAX or SIGMOID
    words: str  # "softmax output", or BY_VALUES when only the values told
    by_values: bool = False


def _probabilities(
    call: LossCall, prov: Provenance, probe: Probe, dims: tuple[int, ...]
) -> Callable[[], Probabilities | None]:
    """Queue the test "the input holds probabilities"; returns the verdict, read later.

    The graph decides when it can; the values (rows over one of ``dims``) decide
    only when the graph is silent, so a known logit is never judged by value.
    """
    if prov.origin.is_probabilities:
        verdict = Probabilities(prov.origin, prov.describe())
        return lambda: verdict
    x = call.input
    if not prov.origin.undecided or not readable(x):
        return lambda: None
    stats = [row_stats(probe, x, d) for d in dims]
    inside = strictly_inside(probe, x) if stats else None

    def read() -> Probabilities | None:
        # Rows of exact 0s and 1s (hand-written one-hot) sum to 1 too, but are not
        # what a softmax returns: only rows that look like its output count.
        if inside is None or not probe[inside]:
            return None
        if any(is_probability_rows(probe, s, x.dtype) for s in stats):
            return Probabilities(Origin.SOFTMAX, BY_VALUES, by_values=True)
        return None

    return read


def _binary_target(call: LossCall, probe: Probe) -> Callable[[], list[Finding]]:
    """Queue LL014 for binary cross-entropy targets outside [0, 1]."""
    y = call.target
    if not readable(y):
        return lambda: []
    low, high = probe.add(y.detach().amin()), probe.add(y.detach().amax())
    # Per element (reduction="none"), the caller may mask positions afterwards:
    # a target holding one repeated sentinel there (SoftBCEWithLogitsLoss's
    # ignore_index) is the caller's business. Any other spread is still a bug.
    spread = out_of_range_spread(probe, y) if call.reduction == "none" else None

    def verdict() -> list[Finding]:
        lo, hi = probe[low], probe[high]
        if lo >= 0 and hi <= 1:
            return []
        if spread is not None and probe[spread[0]] == probe[spread[1]]:
            return []
        return [
            Finding(
                "LL014",
                f"`{call.display}` target has values outside [0, 1] "
                f"(min {_fmt(lo)}, max {_fmt(hi)}); binary cross-entropy targets are "
                "probabilities",
                "rescale the targets to [0, 1] (e.g. masks stored as 0/255, labels as -1/1)",
            )
        ]

    return verdict


def _class_targets(call: LossCall, probe: Probe) -> Callable[[], list[Finding]]:
    """Queue LL014 for cross_entropy / nll_loss targets (indices or probabilities)."""
    x, y = call.input, call.target
    if not readable(y):
        return lambda: []
    cdim = _class_dim(x)
    classes = x.shape[cdim] if x.dim() > 0 else 0
    if _is_index(y):
        ignore_index = int(call.option("ignore_index", -100))
        low, high = class_index_range(probe, y, ignore_index)

        def indices() -> list[Finding]:
            lo, hi = probe[low], probe[high]
            if lo >= 0 and hi < classes:
                return []
            return [
                Finding(
                    "LL014",
                    f"`{call.display}` target has class indices outside [0, {classes}) "
                    f"(min {int(lo)}, max {int(hi)})",
                    f"targets must be class indices below the number of classes ({classes}), "
                    f"or ignore_index ({ignore_index})",
                )
            ]

        return indices
    if call.function == "cross_entropy" and y.is_floating_point() and y.shape == x.shape:
        stats = row_stats(probe, y, cdim, skip_zero_rows=True)
        if stats.row_deviation is None:
            return lambda: []

        def soft() -> list[Finding]:
            lo, hi = probe[stats.minimum], probe[stats.maximum]
            deviation = probe[stats.row_deviation]
            if lo >= 0 and hi <= 1 and deviation <= TARGET_ROW_TOLERANCE:
                return []
            return [
                Finding(
                    "LL014",
                    f"`{call.display}` probability targets are not distributions "
                    f"(values in [{_fmt(lo)}, {_fmt(hi)}], row sums off 1 by up to "
                    f"{_fmt(deviation)})",
                    "soft targets must be in [0, 1] and sum to 1 over the class dim; "
                    "for multi-label targets use BCEWithLogitsLoss",
                )
            ]

        return soft
    return lambda: []


# -- rules -----------------------------------------------------------------------------


def _cross_entropy(call: LossCall) -> list[Finding]:
    """LL001 (probabilities as input) and LL014 (targets)."""
    x, y = call.input, call.target
    prov = provenance(x)
    probe = Probe()
    is_probs = _probabilities(call, prov, probe, (_class_dim(x),))
    targets = _class_targets(call, probe)
    probe.read()
    findings: list[Finding] = []
    found = is_probs()
    if found is not None:
        findings.append(
            Finding(
                "LL001",
                f"`{call.display}` input is probabilities ({found.words}), "
                "not logits, so softmax is applied twice",
                _drop(found.origin if not found.by_values else Origin.UNKNOWN, "pass the logits"),
                observed_as="with probabilities",
                corrected=lambda: _unless_none(
                    lambda logits: reference.cross_entropy(
                        logits,
                        y,
                        weight=call.option("weight"),
                        ignore_index=call.option("ignore_index", -100),
                        reduction=call.reduction,
                        label_smoothing=call.option("label_smoothing", 0.0),
                    ),
                    _as_logits(x, found.origin),
                ),
                corrected_as="from the logits",
                note=_cross_entropy_floor(call, x.shape[_class_dim(x)] if x.dim() else 0),
            )
        )
    return findings + targets()


def _log_probabilities_expected(
    code: str, call: LossCall, found: Probabilities, corrected: Callable[[], torch.Tensor]
) -> Finding:
    """LL004 and LL008: probabilities given to a loss that takes log-probabilities."""
    softmax = found.origin is Origin.SOFTMAX
    return Finding(
        code,
        f"`{call.display}` input is probabilities ({found.words}), "
        "but it expects log-probabilities",
        "use log_softmax instead of softmax" if softmax else "pass log-probabilities",
        observed_as="with probabilities",
        corrected=corrected,
        corrected_as="from log-probabilities",
    )


def _nll_loss(call: LossCall) -> list[Finding]:
    """LL004 (probabilities instead of log-probabilities) and LL014 (targets)."""
    x, y = call.input, call.target
    prov = provenance(x)
    probe = Probe()
    is_probs = _probabilities(call, prov, probe, (_class_dim(x),))
    targets = _class_targets(call, probe)
    probe.read()
    findings: list[Finding] = []
    found = is_probs()
    # ``-F.nll_loss(p, y, reduction="none")`` is ``p[y]``: a gather written as a
    # loss (generalised cross-entropy, accuracy-like terms), not a missing log.
    if found is not None and call.reduction == "none" and call.result_negated():
        found = None
    if found is not None:
        findings.append(
            _log_probabilities_expected(
                "LL004",
                call,
                found,
                lambda: _unless_none(
                    lambda log_probabilities: reference.nll_loss(
                        log_probabilities,
                        y,
                        weight=call.option("weight"),
                        ignore_index=call.option("ignore_index", -100),
                        reduction=call.reduction,
                    ),
                    _safe_log(x),
                ),
            )
        )
    return findings + targets()


def _binary_cross_entropy(call: LossCall) -> list[Finding]:
    """LL006 (sigmoid output), LL007 (unbounded input) and LL014 (targets)."""
    x, y = call.input, call.target
    prov = provenance(x)
    probe = Probe()
    bounds = None
    if prov.origin not in (Origin.SIGMOID, Origin.SOFTMAX, Origin.LINEAR) and readable(x):
        bounds = probe.add(x.detach().amin()), probe.add(x.detach().amax())
    targets = _binary_target(call, probe)
    probe.read()
    findings: list[Finding] = []
    weight = call.option("weight")
    if prov.origin is Origin.SIGMOID:
        findings.append(
            Finding(
                "LL006",
                f"`{call.display}` input is a {prov.describe()}: binary cross-entropy on "
                "probabilities is unstable and refused under CUDA autocast",
                "drop the sigmoid and use BCEWithLogitsLoss on the logits",
                corrected=lambda: _unless_none(
                    lambda logits: reference.binary_cross_entropy_with_logits(
                        logits, y.float(), weight=weight, reduction=call.reduction
                    ),
                    _as_logits(x, Origin.SIGMOID),
                ),
                corrected_as="from the logits with BCEWithLogitsLoss",
            )
        )
    unbounded = None
    if prov.origin is Origin.LINEAR:
        unbounded = prov.describe()
    elif bounds is not None:
        lo, hi = probe[bounds[0]], probe[bounds[1]]
        if lo < 0 or hi > 1:
            unbounded = f"values in [{_fmt(lo)}, {_fmt(hi)}]"
    if unbounded is not None:
        findings.append(
            Finding(
                "LL007",
                f"`{call.display}` input is unbounded ({unbounded}), not probabilities",
                "use BCEWithLogitsLoss on these logits",
                corrected=lambda: reference.binary_cross_entropy_with_logits(
                    x.detach().float(), y.float(), weight=weight, reduction=call.reduction
                ),
                corrected_as="with BCEWithLogitsLoss",
            )
        )
    return findings + targets()


def _binary_cross_entropy_with_logits(call: LossCall) -> list[Finding]:
    """LL002 (probabilities as input) and LL014 (targets)."""
    x, y = call.input, call.target
    prov = provenance(x)
    probe = Probe()
    # Elementwise probabilities cannot be told from logits by value; only rows
    # summing to 1 (a softmax) can, and only over a class dim.
    dims = (1,) if x.dim() >= 2 else ()
    is_probs = _probabilities(call, prov, probe, dims)
    targets = _binary_target(call, probe)
    probe.read()
    findings: list[Finding] = []
    found = is_probs()
    if found is not None:
        if found.origin is Origin.SIGMOID:
            corrected = lambda: _unless_none(  # noqa: E731
                lambda logits: reference.binary_cross_entropy_with_logits(
                    logits,
                    y.float(),
                    weight=call.option("weight"),
                    pos_weight=call.option("pos_weight"),
                    reduction=call.reduction,
                ),
                _as_logits(x, Origin.SIGMOID),
            )
            corrected_as = "from the logits"
        else:
            corrected = lambda: reference.binary_cross_entropy(  # noqa: E731
                x.detach().float().clamp(0, 1),
                y.float(),
                weight=call.option("weight"),
                reduction=call.reduction,
            )
            corrected_as = "with BCELoss on these probabilities"
        findings.append(
            Finding(
                "LL002",
                f"`{call.display}` input is probabilities ({found.words}), "
                "not logits, so it goes through a second sigmoid",
                _drop(found.origin if not found.by_values else Origin.UNKNOWN, "pass the logits"),
                observed_as="with probabilities",
                corrected=corrected,
                corrected_as=corrected_as,
            )
        )
    return findings + targets()


def _kl_div(call: LossCall) -> list[Finding]:
    """LL008 (probabilities instead of log-probabilities) and LL009 (reduction='mean')."""
    x, y = call.input, call.target
    prov = provenance(x)
    probe = Probe()
    # kl_div is elementwise: the distribution dim is dim 1 for (N, C) and usually
    # the last one for (N, T, V); either summing to 1 means probabilities.
    dims = tuple(sorted({1, x.dim() - 1})) if x.dim() >= 2 else (0,)
    is_probs = _probabilities(call, prov, probe, dims)
    probe.read()
    findings: list[Finding] = []
    log_target = bool(call.option("log_target", False))
    found = is_probs()
    if found is not None:
        findings.append(
            _log_probabilities_expected(
                "LL008",
                call,
                found,
                lambda: _unless_none(
                    lambda log_probabilities: reference.kl_div(
                        log_probabilities,
                        y.float(),
                        reduction=call.reduction,
                        log_target=log_target,
                    ),
                    _safe_log(x),
                ),
            )
        )
    if call.reduction == "mean":
        findings.append(
            Finding(
                "LL009",
                f"`{call.display}` uses reduction='mean', which divides by every element, "
                "not by the batch size: that is not the KL divergence",
                "use reduction='batchmean'",
                observed_as="with 'mean'",
                corrected=lambda: reference.kl_div(
                    x.detach().float(), y.float(), reduction="batchmean", log_target=log_target
                ),
                corrected_as="with 'batchmean'",
            )
        )
    return findings


def _regression(call: LossCall) -> list[Finding]:
    """LL003: a regression loss on a classification output or target.

    Only an input the graph shows to be a classifier's (a softmax or sigmoid output,
    or a linear/convolution layer's logits) makes a one-hot or class-index target
    suspicious: MSE between cosine similarities and a one-hot target (P2SGrad) is
    a method, not a mistake. A softmax input is reported against any target but a
    distribution: MSE between two softmax outputs is a consistency loss (Mean
    Teacher, attention transfer), as the rule page says.
    """
    x, y = call.input, call.target
    prov = provenance(x)
    classifier = prov.origin in (Origin.SOFTMAX, Origin.SIGMOID, Origin.LINEAR)
    if not classifier:
        return []
    indices = (
        _is_index(y)
        and x.dim() >= 2
        and x.dim() == y.dim() + 1
        and x.shape[1] >= 2
        and tuple(x.shape[:1]) + tuple(x.shape[2:]) == tuple(y.shape)
    )
    probe = Probe()
    one_hot: list[tuple[int, int]] = []
    distribution: list[Any] = []
    # A one-hot target needs rows: a 1-D target is a batch of scalars, and a single
    # row with one 1 proves nothing. A sigmoid output next to a 0/1 target is
    # multi-label regression, whatever one batch's rows happen to hold.
    rows = (
        readable(y)
        and y.is_floating_point()
        and y.shape == x.shape
        and y.dim() >= 2
        and y.numel() // max(y.shape[-1], 1) >= 2
    )
    if rows:
        for d in sorted({1, y.dim() - 1}):
            if prov.origin is not Origin.SIGMOID:
                handle = one_hot_along(probe, y, d)
                if handle is not None:
                    one_hot.append((d, handle))
            if prov.origin is Origin.SOFTMAX:
                distribution.append(row_stats(probe, y, d))
    softmax_target = provenance(y).origin is Origin.SOFTMAX
    probe.read()
    hot_dim = next((d for d, handle in one_hot if probe[handle]), None)
    reasons = []
    if prov.origin is Origin.SOFTMAX:
        target_is_distribution = softmax_target or any(
            is_probability_rows(probe, stats, y.dtype) for stats in distribution
        )
        if hot_dim is not None or indices or not target_is_distribution:
            reasons.append(f"input is probabilities ({prov.describe()})")
    if hot_dim is not None:
        reasons.append("target is one-hot")
    elif indices:
        reasons.append("target holds class indices")
    if not reasons:
        return []

    def corrected() -> Any:
        # Only logits (a layer's output, or the log of a softmax) make a
        # cross-entropy worth quoting; a sigmoid's outputs are not one distribution.
        if prov.origin is Origin.SOFTMAX:
            logits = _as_logits(x, Origin.SOFTMAX)
        elif prov.origin is Origin.LINEAR:
            logits = x.detach().float()
        else:
            return None
        if logits is None:
            return None
        if hot_dim is not None:
            classes = y.argmax(hot_dim)
            if x.dim() > 2 and hot_dim != 1:
                logits = logits.movedim(hot_dim, 1)
        elif indices:
            classes = y
        else:
            return None
        return reference.cross_entropy(logits, classes.long(), reduction=call.reduction)

    return [
        Finding(
            "LL003",
            f"`{call.display}` is a regression loss, but its {' and its '.join(reasons)}",
            "for classification use CrossEntropyLoss on the logits with class-index targets",
            corrected=corrected,
            corrected_as="with CrossEntropyLoss on the logits",
        )
    ]


_RULES: dict[str, Callable[[LossCall], list[Finding]]] = {
    "cross_entropy": _cross_entropy,
    "nll_loss": _nll_loss,
    "binary_cross_entropy": _binary_cross_entropy,
    "binary_cross_entropy_with_logits": _binary_cross_entropy_with_logits,
    "kl_div": _kl_div,
    **{name: _regression for name in REGRESSION},
}
