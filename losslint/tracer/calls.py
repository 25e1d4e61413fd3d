"""One loss call, normalised: which loss, its input, target, reduction and options.

``nn.CrossEntropyLoss()(x, y)`` and ``F.cross_entropy(x, y)`` reach the checks as
the same ``LossCall`` (a module's options are read from its attributes), so each
rule is written once, against the functional signature. ``intercept.py`` lists
the entry points that produce these.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Functional losses the tracer intercepts, with the keyword options each one
# takes besides input, target and the reduction arguments.
FUNCTION_OPTIONS: dict[str, tuple[str, ...]] = {
    "cross_entropy": ("weight", "ignore_index", "label_smoothing"),
    "nll_loss": ("weight", "ignore_index"),
    "binary_cross_entropy": ("weight",),
    "binary_cross_entropy_with_logits": ("weight", "pos_weight"),
    "kl_div": ("log_target",),
    "mse_loss": ("weight",),
    "l1_loss": ("weight",),
    "huber_loss": ("delta", "weight"),
    "smooth_l1_loss": ("beta",),
}

# ``nn`` loss classes, the functional each one's forward computes, and the module
# attributes that hold that functional's options.
MODULE_FUNCTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "CrossEntropyLoss": ("cross_entropy", ("weight", "ignore_index", "label_smoothing")),
    "NLLLoss": ("nll_loss", ("weight", "ignore_index")),
    "BCELoss": ("binary_cross_entropy", ("weight",)),
    "BCEWithLogitsLoss": ("binary_cross_entropy_with_logits", ("weight", "pos_weight")),
    "KLDivLoss": ("kl_div", ("log_target",)),
    "MSELoss": ("mse_loss", ()),
    "L1Loss": ("l1_loss", ()),
    "HuberLoss": ("huber_loss", ("delta",)),
    "SmoothL1Loss": ("smooth_l1_loss", ("beta",)),
}

REGRESSION = frozenset({"mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"})

_SIGNATURES: dict[Callable[..., Any], inspect.Signature] = {}


@dataclass
class LossCall:
    """A loss call as the checks see it."""

    function: str  # the functional it computes: "cross_entropy"
    display: str  # what the user called, for messages: "CrossEntropyLoss", "cross_entropy"
    input: Any
    target: Any
    reduction: str = "mean"
    options: dict[str, Any] = field(default_factory=dict)
    # Whether the caller negates the result right away (``-F.nll_loss(...)``): asked
    # only by a check that depends on it; set by the interceptor, which has the frame.
    result_negated: Callable[[], bool] = lambda: False

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


def _signature(function: Callable[..., Any]) -> inspect.Signature:
    sig = _SIGNATURES.get(function)
    if sig is None:
        sig = _SIGNATURES[function] = inspect.signature(function)
    return sig


def _reduction(arguments: dict[str, Any]) -> str:
    size_average, reduce = arguments.get("size_average"), arguments.get("reduce")
    if size_average is not None or reduce is not None:
        # The deprecated arguments override ``reduction``, exactly as torch does.
        from torch.nn import _reduction

        return _reduction.legacy_get_string(size_average, reduce, emit_warning=False)
    return str(arguments.get("reduction", "mean"))


def from_function(
    name: str, original: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> LossCall:
    """Normalise a call of ``torch.nn.functional.<name>``; TypeError if args don't bind."""
    bound = _signature(original).bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = bound.arguments
    options = {key: arguments[key] for key in FUNCTION_OPTIONS[name] if key in arguments}
    return LossCall(
        function=name,
        display=name,
        input=arguments["input"],
        target=arguments["target"],
        reduction=_reduction(arguments),
        options=options,
    )


def from_module(
    class_name: str,
    module: Any,
    forward: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> LossCall:
    """Normalise ``module(input, target)`` of an ``nn`` loss class named ``class_name``."""
    function, attributes = MODULE_FUNCTIONS[class_name]
    bound = _signature(forward).bind(module, *args, **kwargs)
    arguments = bound.arguments
    options = {key: getattr(module, key) for key in attributes if hasattr(module, key)}
    return LossCall(
        function=function,
        display=class_name,
        input=arguments["input"],
        target=arguments["target"],
        reduction=str(getattr(module, "reduction", "mean")),
        options=options,
    )
