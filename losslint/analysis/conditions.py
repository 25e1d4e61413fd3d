"""Conditions: ``None`` and flags as values, ``or``/``and``, and tests known for certain.

A test is decided only when every alternative of what it reads agrees: a flag whose
default no visible caller changes, ``criterion is None`` for a parameter left at
``None``. Anything unknown leaves the test undecided, and both branches are walked.
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from losslint.analysis.frames import (
    Env,
    Frame,
)
from losslint.analysis.values import (
    UNKNOWN,
    ActivationModule,
    Atom,
    BoundMethod,
    ClassRef,
    Constant,
    DictValue,
    FunctionRef,
    LayerModule,
    LossModule,
    Tensor,
    TupleValue,
    Value,
)

LITERALS = {"True": True, "False": False, "None": None}


class Conditions:
    """Conditions: ``None`` and flags as values, ``or``/``and``, and tests known for certain."""

    def truth(self, node: cst.BaseExpression, env: Env, frame: Frame) -> bool | None:
        """Whether ``node`` is true on every path (True), false on every path (False), or
        either (None). Evaluates quietly: the caller reports the test itself."""
        quiet = frame if not frame.reporting else replace(frame, reporting=False)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            inner = self.truth(node.expression, env, quiet)
            return None if inner is None else not inner
        if isinstance(node, cst.BooleanOperation):
            left = self.truth(node.left, env, quiet)
            is_and = isinstance(node.operator, cst.And)
            if left is (not is_and):  # `True or ...`, `False and ...`
                return left
            right = self.truth(node.right, env, quiet)
            if left is None:
                return right if right is (not is_and) else None
            return right
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            return self._compare(node, env, quiet)
        if isinstance(node, cst.Name) and node.value not in env:
            if self._declared_global(node, frame):
                return None  # a module flag some function rebinds: not certain
        return value_truth(self.eval(node, env, quiet))

    def _declared_global(self, node: cst.Name, frame: Frame) -> bool:
        text = self._source_text(self._file(frame))
        return re.search(rf"\bglobal\b[^\n]*\b{re.escape(node.value)}\b", text) is not None

    def _compare(self, node: cst.Comparison, env: Env, frame: Frame) -> bool | None:
        target = node.comparisons[0]
        operator = target.operator
        left = self.eval(node.left, env, frame)
        if isinstance(operator, (cst.Is, cst.IsNot)):
            right = self.eval(target.comparator, env, frame)
            same = is_none(right) and is_none_test(left)
            if same is None:
                return None
            return same if isinstance(operator, cst.Is) else not same
        if isinstance(operator, (cst.Equal, cst.NotEqual)):
            right = self.eval(target.comparator, env, frame)
            lefts, rights = left.all(Constant), right.all(Constant)
            if len(lefts) != 1 or len(rights) != 1:
                return None
            equal = type(lefts[0].value) is type(rights[0].value) and (
                lefts[0].value == rights[0].value
            )
            return equal if isinstance(operator, cst.Equal) else not equal
        return None

    def _eval_BooleanOperation(self, node: cst.BooleanOperation, env: Env, frame: Frame) -> Value:
        """``criterion or nn.CrossEntropyLoss()``: the left alternatives that decide the
        result, and the right operand where some left alternative may not."""
        left = self.eval(node.left, env, frame)
        is_and = isinstance(node.operator, cst.And)
        kept: list[Atom] = []
        needs_right = False
        for atom in left:
            truth = atom_truth(atom)
            if truth is None:
                kept.append(atom)
                needs_right = True
            elif truth is is_and:  # `or` drops what is false, `and` what is true
                needs_right = True
            else:
                kept.append(atom)
        if not left:
            needs_right = True
        result = Value.of(*kept)
        if needs_right:
            result = result.join(self.eval(node.right, env, frame))
        return result if result else UNKNOWN


def is_none(value: Value) -> bool:
    return all(isinstance(atom, Constant) and atom.value is None for atom in value) and bool(value)


def is_none_test(value: Value) -> bool | None:
    """Whether ``value is None``: True or False when every alternative agrees."""
    answers = set()
    for atom in value:
        if isinstance(atom, Constant):
            answers.add(atom.value is None)
        elif isinstance(atom, _OBJECTS) or isinstance(atom, (Tensor, TupleValue, DictValue)):
            answers.add(False)
        else:
            return None
    return answers.pop() if len(answers) == 1 else None


_OBJECTS = (LossModule, ActivationModule, LayerModule, ClassRef, FunctionRef, BoundMethod)


def atom_truth(atom: Atom) -> bool | None:
    if isinstance(atom, Constant):
        return bool(atom.value)
    if isinstance(atom, _OBJECTS):
        return True
    if isinstance(atom, (TupleValue, DictValue)):
        return bool(atom.items)
    return None


def value_truth(value: Value) -> bool | None:
    answers = {atom_truth(atom) for atom in value}
    if len(answers) != 1:
        return None
    return answers.pop()
