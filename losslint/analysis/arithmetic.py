"""Arithmetic that keeps what a tensor is: an epsilon added to probabilities, a scaled loss."""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from losslint.analysis.syntax import (
    dotted_name,
)
from losslint.analysis.values import (
    COMPLEMENT_OF_SIGMOID,
    UNKNOWN,
    Constant,
    Kind,
    LossModule,
    Tensor,
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
        complemented = complement(left, right, operator)
        if complemented is not None:
            return complemented
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
                return guarded(left, "plus an epsilon")
        if isinstance(operator, (cst.Add, cst.AddAssign)) and not tensors:
            other = right.tensors()
            if (
                other
                and all(t.kind is Kind.LOSS for t in other)
                and (left.all(Constant) or left.is_unknown)
            ):
                return right if left.all(Constant) else UNKNOWN
        return UNKNOWN


def complement(left: Value, right: Value, operator) -> Value | None:
    """``1 - p`` (or ``1 + (-p)``) of sigmoid probabilities: sigmoid(-z), probabilities
    whose log is ``-inf`` first in float32 (``1 - sigmoid(z)`` is exactly 0 from z ≈ 16.7).
    None for anything else: ``1 - p_dropout``, ``1 - x`` of an unknown ``x``."""
    if isinstance(operator, cst.Subtract) and _is_one(left):
        tensors, wanted = right.tensors(), Kind.PROBS
    elif isinstance(operator, cst.Add) and _is_one(left):
        tensors, wanted = right.tensors(), Kind.NEGATED_PROBS
    elif isinstance(operator, cst.Add) and _is_one(right):
        tensors, wanted = left.tensors(), Kind.NEGATED_PROBS
    else:
        return None
    if not tensors or not all(t.kind is wanted and t.activation == "sigmoid" for t in tensors):
        return None
    return Value.of(
        *(
            replace(
                t,
                kind=Kind.PROBS,
                activation=COMPLEMENT_OF_SIGMOID,
                origin=t.origin.through("subtracted from 1"),
            )
            for t in tensors
        )
    )


def negated(value: Value) -> Value:
    """``-p`` of sigmoid probabilities (``torch.log1p(-p)`` reads it); unknown otherwise."""
    tensors = value.tensors()
    if not tensors or not all(t.kind is Kind.PROBS and t.activation == "sigmoid" for t in tensors):
        return UNKNOWN
    return Value.of(*(replace(t, kind=Kind.NEGATED_PROBS) for t in tensors))


def guarded(value: Value, step: str) -> Value:
    """Probabilities kept off 0 by an epsilon or a clamp: still probabilities, and their
    origin says so (a log of them is finite, but biased)."""
    return value.map(
        lambda a: (
            Value.of(replace(a, origin=a.origin.through(step)))
            if isinstance(a, Tensor) and a.kind is Kind.PROBS
            else Value.of(a)
        )
    )


def _is_one(value: Value) -> bool:
    constants = value.all(Constant)
    return len(constants) == 1 and constants[0].value == 1


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
