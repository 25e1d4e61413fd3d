"""Arithmetic that keeps what a tensor is: an epsilon added to probabilities, a scaled loss."""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from losslint.analysis.syntax import (
    call_argument,
    dotted_name,
)
from losslint.analysis.values import (
    UNKNOWN,
    Constant,
    Kind,
    Tensor,
    Value,
)

_EPS_NAME = re.compile(r"eps|epsilon|tiny", re.IGNORECASE)


class Arithmetic:
    """Arithmetic that keeps what a tensor is: an epsilon added to probabilities, a scaled loss."""

    @staticmethod
    def _binary(left: Value, right: Value, operator, right_node) -> Value:
        """Adding a tiny constant keeps probabilities probabilities; losses add up to losses."""
        tensors = left.tensors()
        additive = isinstance(operator, (cst.Add, cst.Subtract, cst.AddAssign))
        if tensors and all(t.kind is Kind.LOSS for t in tensors):
            other = right.tensors()
            if additive and other and all(t.kind is Kind.LOSS for t in other):
                return left
            if right.all(Constant):
                return left
            if isinstance(operator, _SCALING):
                return left  # `loss * inputs.size(0)`, `loss / steps`: the same graph
        if not tensors and isinstance(operator, _SCALING) and not isinstance(operator, _DIVIDING):
            other = right.tensors()
            if other and all(t.kind is Kind.LOSS for t in other):
                return right  # `batch_size * loss`
        if tensors and additive and all(t.kind is Kind.PROBS for t in tensors):
            if is_epsilon(right_node) and isinstance(operator, (cst.Add, cst.AddAssign)):
                return guarded(left, right_node)
            if right.all(Constant) or is_epsilon(right_node):
                return left
        if isinstance(operator, (cst.Add, cst.AddAssign)) and not tensors:
            other = right.tensors()
            if (
                other
                and all(t.kind is Kind.LOSS for t in other)
                and (left.all(Constant) or left.is_unknown)
            ):
                return right if left.all(Constant) else UNKNOWN
        return UNKNOWN


_SCALING = (cst.Multiply, cst.Divide, cst.MultiplyAssign, cst.DivideAssign)


_DIVIDING = (cst.Divide, cst.DivideAssign)


def is_epsilon(node: cst.BaseExpression) -> bool:
    name = dotted_name(node)
    if name is None:
        return _positive_literal(node)
    return bool(_EPS_NAME.search(name.rsplit(".", 1)[-1]))


def guarded(value: Value, node: cst.CSTNode) -> Value:
    """``value`` with its probabilities kept off 0 by ``node`` (``+ eps``, ``clamp(eps)``)."""
    return value.map(
        lambda a: (
            Value.of(replace(a, guard=node))
            if isinstance(a, Tensor) and a.kind is Kind.PROBS
            else Value.of(a)
        )
    )


def clamped(value: Value, method: str, node: cst.Call, position: int) -> Value:
    """What ``clamp``/``clip`` returns: guarded when its minimum is an epsilon
    (``p.clamp(min=eps)``, ``torch.clamp(p, self.eps, 1 - self.eps)``, ``p.clip(1e-7)``)."""
    if method not in ("clamp", "clamp_", "clip"):
        return value
    minimum = call_argument(node, position, "min")
    return guarded(value, node) if minimum is not None and is_epsilon(minimum) else value


def _positive_literal(node: cst.BaseExpression) -> bool:
    """``1e-8``, ``1e-7``: a number literal above 0 (``0`` guards nothing)."""
    if not isinstance(node, (cst.Float, cst.Integer)):
        return False
    try:
        return float(node.value.replace("_", "")) > 0
    except ValueError:
        return False
