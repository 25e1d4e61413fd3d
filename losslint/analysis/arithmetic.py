"""Arithmetic that keeps what a tensor is: an epsilon added to probabilities, a scaled loss."""

from __future__ import annotations

import re

import libcst as cst

from losslint.analysis.syntax import (
    dotted_name,
)
from losslint.analysis.values import (
    UNKNOWN,
    Constant,
    Kind,
    LossModule,
    Value,
    join_all,
)

_EPS_NAME = re.compile(r"eps|epsilon|tiny", re.IGNORECASE)


class Arithmetic:
    """Arithmetic that keeps what a tensor is: an epsilon added to probabilities, a scaled loss."""

    @staticmethod
    def _binary(left: Value, right: Value, operator, right_node) -> Value:
        """Adding a tiny constant keeps probabilities probabilities; losses add up to losses."""
        module = loss_module_operand(left, right)
        if module is not None:
            return module
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


def loss_module_operand(left: Value, right: Value) -> Value | None:
    """``criterion_a(out, y) + nn.MSELoss(pred, x)``: arithmetic on a loss *module*
    (a TypeError when it runs) is code that takes it for the loss it should compute;
    the result stays the module, so that what is done with it (``.backward()``) shows
    the mistake (LL011)."""
    modules = [operand for operand in (left, right) if operand.all(LossModule)]
    return join_all(modules) if modules else None


_SCALING = (cst.Multiply, cst.Divide, cst.MultiplyAssign, cst.DivideAssign)


_DIVIDING = (cst.Divide, cst.DivideAssign)


def is_epsilon(node: cst.BaseExpression) -> bool:
    name = dotted_name(node)
    return name is not None and bool(_EPS_NAME.search(name.rsplit(".", 1)[-1]))
