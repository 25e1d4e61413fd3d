"""Arithmetic that keeps what a tensor is: an epsilon added to probabilities, a scaled loss."""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.containers import all_lists, concatenate, repeated
from losslint.analysis.frames import Env, Frame
from losslint.analysis.syntax import (
    call_argument,
    dotted_name,
)
from losslint.analysis.values import (
    COMPLEMENT_OF_SIGMOID,
    UNKNOWN,
    Constant,
    ImportRef,
    Kind,
    LossModule,
    Origin,
    Tensor,
    Value,
    join_all,
    mixed,
)

_EPS_NAME = re.compile(r"eps|epsilon|tiny", re.IGNORECASE)


class Arithmetic:
    """Arithmetic that keeps what a tensor is: an epsilon added to probabilities, a scaled loss."""

    @staticmethod
    def _binary(left: Value, right: Value, operator, right_node) -> Value:
        """Adding a tiny constant keeps probabilities probabilities; losses add up to losses."""
        if isinstance(operator, (cst.Add, cst.AddAssign)) and all_lists(left) and all_lists(right):
            return concatenate(left, right)  # `layers + [nn.Softmax(dim=1)]`, `layers += [...]`
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
    """``eps``, ``self.eps``, ``1e-8``, ``torch.finfo(x.dtype).tiny``: a small positive number."""
    if isinstance(node, cst.Attribute):
        return bool(_EPS_NAME.search(node.attr.value))
    name = dotted_name(node)
    if name is None:
        return _positive_literal(node)
    return bool(_EPS_NAME.search(name))


# -- arithmetic that keeps what a value is (real-code idioms) ------------------------

# Kinds an average over models keeps (`(p1 + p2) / 2`, `sum(ps) / len(ps)`).
_AVERAGED = frozenset({Kind.PROBS, Kind.LOG_PROBS, Kind.LOGITS})


class KeptFacts:
    """Expressions that keep or make a fact: a hand-written sigmoid or softmax,
    probabilities times a 0/1 mask or raised to a power, an average over models,
    logits minus logits (the relativistic GAN form)."""

    def _kept_by_arithmetic(
        self, node: cst.BinaryOperation, left: Value, right: Value, env: Env, frame: Frame
    ) -> Value | None:
        operator = node.operator
        if isinstance(operator, cst.Divide):
            return (
                self._handwritten_sigmoid(node, left, env, frame)
                or self._handwritten_softmax(node, left, right, frame)
                or self._average(node, env, frame)
            )
        if isinstance(operator, cst.Multiply):
            return repeated(left, node.left) or masked(left, right) or masked(right, left)
        if isinstance(operator, cst.Power):
            return powered(left, right, node.right)
        if isinstance(operator, cst.Subtract):
            return self._relative_logits(node, left, right, env, frame)
        return None

    def _eval_Comparison(self, node: cst.Comparison, env: Env, frame: Frame) -> Value:
        """``labels != ignore_index``, ``scores > 0.5``: a 0/1 mask (or a plain bool)."""
        self._eval_children(node, env, frame)
        return Value.of(Tensor(Kind.MASK, Origin(node, self._file(frame), "comparison"), ""))

    def _quiet(self, node: cst.BaseExpression, env: Env, frame: Frame) -> Value:
        """A subexpression's value again, without telling the rules twice."""
        return self.eval(node, dict(env), replace(frame, reporting=False))

    def _handwritten_sigmoid(self, node, left: Value, env: Env, frame: Frame) -> Value | None:
        """``1 / (1 + torch.exp(-z))``."""
        denominator = node.right
        if not is_one(node.left) or not isinstance(denominator, cst.BinaryOperation):
            return None
        if not isinstance(denominator.operator, cst.Add):
            return None
        for one, other in (
            (denominator.left, denominator.right),
            (denominator.right, denominator.left),
        ):
            if is_one(one) and exponentials(self._quiet(other, env, frame)):
                origin = Origin(node, self._file(frame), "hand-written sigmoid")
                return Value.of(Tensor(Kind.PROBS, origin, "sigmoid", None, not frame.no_grad))
        return None

    def _handwritten_softmax(self, node, left: Value, right: Value, frame: Frame) -> Value | None:
        """``e / e.sum(dim, keepdim=True)`` where ``e = torch.exp(z)`` (or ``exp(z - max)``),
        and probabilities renormalised by their own sum: the numerator and the summed
        tensor must be the same."""
        numerator = left.tensors()
        if not numerator or not all(t.kind in (Kind.EXP, Kind.PROBS) for t in numerator):
            return None
        sums = right.tensors()
        if not sums or not all(t.kind is Kind.SUM for t in sums):
            return None
        if not same_tensor(numerator, sums):
            return None
        graph = not frame.no_grad
        if all(t.kind is Kind.EXP for t in numerator):
            origin = Origin(node, self._file(frame), "hand-written softmax")
            return Value.of(Tensor(Kind.PROBS, origin, "softmax", sums[0].dim, graph))
        if not all(t.kind is Kind.PROBS for t in numerator):
            return None
        step = "renormalised"
        return Value.of(
            *(
                replace(t, origin=t.origin.through(step), activation="softmax", dim=sums[0].dim)
                for t in numerator
            )
        )

    def _average(self, node: cst.BinaryOperation, env: Env, frame: Frame) -> Value | None:
        """``sum(ps) / len(ps)`` and ``(p1 + p2) / 2``: one kind of tensor, averaged."""
        top, bottom = node.left, node.right
        if is_builtin_call(top, "sum") and is_builtin_call(bottom, "len"):
            source = self._file(frame)
            if source.code(top.args[0].value) != source.code(bottom.args[0].value):
                return None
            if self._builtin_name(top.func, env, frame) != "sum":
                return None
            if self._builtin_name(bottom.func, env, frame) != "len":
                return None
            items = self.items_of(self._quiet(top.args[0].value, env, frame))
            return one_kind(items) if items is not None else None
        if not isinstance(bottom, cst.Integer) or not isinstance(top, cst.BinaryOperation):
            return None
        terms = summands(top)
        if terms is None or str(len(terms)) != bottom.value or len(terms) < 2:
            return None
        return one_kind(join_all(self._quiet(term, env, frame) for term in terms))

    def _relative_logits(
        self, node, left: Value, right: Value, env: Env, frame: Frame
    ) -> Value | None:
        """``d_real - d_fake.mean()``: logits minus logits (or their mean) are logits."""
        logits = left.tensors()
        if not logits or not all(t.kind is Kind.LOGITS for t in logits):
            return None
        other = right.tensors()
        if not other and isinstance(node.right, cst.Call):
            func = node.right.func
            callee = self._quiet(func, env, frame)
            names = {torchapi.canonical(a.qualname) for a in callee if isinstance(a, ImportRef)}
            if names == {"torch.mean"} and len(callee.atoms) == 1 and node.right.args:
                other = self._quiet(node.right.args[0].value, env, frame).tensors()
            elif isinstance(func, cst.Attribute) and func.attr.value == "mean":
                other = self._quiet(func.value, env, frame).tensors()
        if not other or not all(t.kind is Kind.LOGITS for t in other):
            return None
        return Value.of(*(replace(t, origin=t.origin.through("minus logits")) for t in logits))


def is_one(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Integer):
        return node.value == "1"
    if isinstance(node, cst.Float):
        try:
            return float(node.value) == 1.0
        except ValueError:
            return False
    return False


def exponentials(value: Value) -> list[Tensor]:
    tensors = value.tensors()
    return tensors if tensors and all(t.kind is Kind.EXP for t in tensors) else []


def same_tensor(first: list[Tensor], second: list[Tensor]) -> bool:
    """Made by the same call, or by two calls of the same code in one file."""
    if not first or not second:
        return False

    def key(t: Tensor) -> tuple:
        return (t.origin.source.path, t.origin.source.code(t.origin.node))

    return {key(t) for t in first} == {key(t) for t in second} and len({key(t) for t in first}) == 1


def is_builtin_call(node: cst.BaseExpression, name: str) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == name
        and len(node.args) == 1
        and not node.args[0].star
        and node.args[0].keyword is None
    )


def summands(node: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    """The terms of ``a + b + c``; None if any operator is not ``+``."""
    if isinstance(node, cst.BinaryOperation):
        if not isinstance(node.operator, cst.Add):
            return None
        left = summands(node.left) if not node.left.lpar else [node.left]
        right = summands(node.right) if not node.right.lpar else [node.right]
        if left is None or right is None:
            return None
        return [*left, *right]
    return [node]


def one_kind(value: Value) -> Value | None:
    """``value`` when its alternatives are all tensors of one averageable kind."""
    tensors = value.tensors()
    if not tensors or len({t.kind for t in tensors}) != 1 or tensors[0].kind not in _AVERAGED:
        return None
    return Value.of(*(mixed(t) for t in tensors))


def masked(probabilities: Value, mask: Value) -> Value | None:
    """Probabilities times a 0/1 mask (or a one-hot) are still in [0, 1]."""
    tensors = probabilities.tensors()
    if not tensors or not all(t.kind is Kind.PROBS for t in tensors):
        return None
    masks = mask.tensors()
    if not masks or not all(t.kind in (Kind.MASK, Kind.ONE_HOT) for t in masks):
        return None
    return Value.of(*(replace(t, origin=t.origin.through("times a 0/1 mask")) for t in tensors))


def powered(base: Value, exponent: Value, exponent_node: cst.BaseExpression) -> Value | None:
    """``p ** t`` for a positive ``t``: still in [0, 1] (and ``log(p ** t)`` is ``t * log p``)."""
    tensors = base.tensors()
    if not tensors or not all(t.kind is Kind.PROBS for t in tensors):
        return None
    if isinstance(exponent_node, cst.UnaryOperation):
        return None
    constants = exponent.all(Constant)
    if constants:
        if not all(isinstance(c.value, (int, float)) and c.value > 0 for c in constants):
            return None
    elif exponent.tensors() or not isinstance(
        exponent_node, (cst.Name, cst.Attribute, cst.BinaryOperation)
    ):
        return None
    return Value.of(
        *(
            replace(t, origin=t.origin.through("raised to a power"), activation="power")
            for t in tensors
        )
    )


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
    if method not in ("clamp", "clamp_", "clip", "clamp_min"):
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
