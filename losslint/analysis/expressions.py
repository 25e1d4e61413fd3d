"""Expressions: names, attributes, subscripts, literals, containers, comprehensions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import libcst as cst

from losslint.analysis.arithmetic import negated
from losslint.analysis.conditions import LITERALS
from losslint.analysis.containers import collection_item
from losslint.analysis.frames import (
    Env,
    Frame,
)
from losslint.analysis.project import STAR_IMPORTS
from losslint.analysis.syntax import (
    children,
    dotted_name,
)
from losslint.analysis.torch_calls import sequential_layer
from losslint.analysis.values import (
    UNKNOWN,
    Atom,
    Collection,
    Constant,
    DictValue,
    SequentialModule,
    Tensor,
    TupleValue,
    Value,
)


class Expressions:
    """Expressions: names, attributes, subscripts, literals, containers, comprehensions."""

    def eval(self, node: cst.BaseExpression, env: Env, frame: Frame) -> Value:
        handler = getattr(self, f"_eval_{type(node).__name__}", None)
        if handler is not None:
            return handler(node, env, frame)
        self._eval_children(node, env, frame)
        return UNKNOWN

    def _eval_children(self, node: cst.CSTNode, env: Env, frame: Frame) -> None:
        for child in _parts(node):
            if isinstance(child, cst.BaseExpression):
                self.eval(child, env, frame)
            elif not isinstance(
                child, (cst.BaseParenthesizableWhitespace, cst.LeftParen, cst.RightParen)
            ):
                self._eval_children(child, env, frame)

    def lookup(self, name: str, env: Env, frame: Frame) -> Value:
        if name in env:
            return env[name]
        if frame.function is not None and name in frame.function.closure:
            return frame.function.closure[name]
        names = self._module_globals(frame)
        if name in names:
            return names[name]
        if STAR_IMPORTS in names:
            return self._star_imported(name, names, frame)
        if self.snippet:
            return self._assumed_free_name(name) or UNKNOWN
        return UNKNOWN

    def _module_globals(self, frame: Frame) -> Env:
        """The top-level names the running code sees: a function imported from another
        file reads that file's imports and globals, not those of the file being linted."""
        source = self._file(frame)
        if source is self.source or self.project is None:
            return self.globals
        found = self.project.globals_of(source)
        return found if found is not None else {}

    def _eval_Name(self, node: cst.Name, env: Env, frame: Frame) -> Value:
        if node.value in LITERALS:
            return Value.of(Constant(LITERALS[node.value]))
        return self.lookup(node.value, env, frame)

    def _eval_Attribute(self, node: cst.Attribute, env: Env, frame: Frame) -> Value:
        dotted = dotted_name(node)
        if dotted is not None and dotted in env:
            return env[dotted]
        base = self.eval(node.value, env, frame)
        return self.attribute(base, node.attr.value, frame)

    def _eval_BinaryOperation(self, node: cst.BinaryOperation, env: Env, frame: Frame) -> Value:
        left = self.eval(node.left, env, frame)
        right = self.eval(node.right, env, frame)
        kept = self._kept_by_arithmetic(node, left, right, env, frame)
        if kept is not None:
            return kept
        return self._binary(left, right, node.operator, node.right)

    def _eval_UnaryOperation(self, node, env: Env, frame: Frame) -> Value:
        value = self.eval(node.expression, env, frame)
        if isinstance(node.operator, cst.Minus):
            numbers = value.all(Constant)
            if len(numbers) == 1 and isinstance(numbers[0].value, (int, float)):
                return Value.of(Constant(-numbers[0].value))  # `layers[-1]`
            return negated(value)
        return UNKNOWN

    def _eval_Subscript(self, node: cst.Subscript, env: Env, frame: Frame) -> Value:
        base = self._resolve(self.eval(node.value, env, frame), frame)  # an imported registry
        keys: list[Value] = []
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                keys.append(self.eval(element.slice.value, env, frame))
            else:
                self._eval_children(element.slice, env, frame)
                keys.append(UNKNOWN)
        key = keys[0] if len(keys) == 1 else UNKNOWN

        sliced = any(not isinstance(element.slice, cst.Index) for element in node.slice)

        def one(atom: Atom) -> Value:
            if isinstance(atom, Tensor):
                return self._indexed_tensor(atom, node, sliced)
            if isinstance(atom, Collection):
                return UNKNOWN if sliced else collection_item(atom, key)
            constants = key.all(Constant)
            if len(constants) != 1:
                return UNKNOWN
            index = constants[0].value
            if isinstance(atom, TupleValue) and isinstance(index, int):
                if -len(atom.items) <= index < len(atom.items):
                    return atom.items[index]
            if isinstance(atom, DictValue) and isinstance(index, str):
                return atom.get(index) or UNKNOWN
            if isinstance(atom, SequentialModule) and isinstance(index, int):
                return sequential_layer(atom, index)
            return UNKNOWN

        return base.map(one)

    def _eval_Tuple(self, node, env: Env, frame: Frame) -> Value:
        values = []
        for element in node.elements:
            value = self.eval(element.value, env, frame)
            if isinstance(element, cst.StarredElement):
                return UNKNOWN
            values.append(value)
        return Value.of(TupleValue(tuple(values)))

    _eval_List = _eval_Tuple

    def _eval_Dict(self, node: cst.Dict, env: Env, frame: Frame) -> Value:
        items = []
        known = True
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                self.eval(element.value, env, frame)
                known = False
                continue
            key = self.eval(element.key, env, frame)
            value = self.eval(element.value, env, frame)
            constants = key.all(Constant)
            if len(constants) == 1 and isinstance(constants[0].value, str):
                items.append((constants[0].value, value))
            else:
                known = False
        return Value.of(DictValue(tuple(items))) if known else UNKNOWN

    def _eval_SimpleString(self, node: cst.SimpleString, env: Env, frame: Frame) -> Value:
        quote = node.quote
        body = node.value[len(node.prefix) + len(quote) : -len(quote)]
        prefix = node.prefix.lower()
        if "b" in prefix:
            return UNKNOWN
        if "\\" not in body:  # the common case, without the cost of literal_eval
            return Value.of(Constant(body))
        try:
            text = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd literals are simply unknown
            return UNKNOWN
        return Value.of(Constant(text)) if isinstance(text, str) else UNKNOWN

    def _eval_Integer(self, node: cst.Integer, env: Env, frame: Frame) -> Value:
        try:
            return Value.of(Constant(int(node.value, 0)))
        except ValueError:  # "0777"-style or odd literals: not worth literal_eval
            return Value.of(Constant(node.value))

    def _eval_Float(self, node: cst.Float, env: Env, frame: Frame) -> Value:
        try:
            return Value.of(Constant(float(node.value)))
        except ValueError:
            return Value.of(Constant(node.value))

    def _eval_IfExp(self, node: cst.IfExp, env: Env, frame: Frame) -> Value:
        self.eval(node.test, env, frame)
        decided = self.truth(node.test, env, frame)
        if decided is not None:
            if frame.reporting:  # the skipped side still reports (see `_exec_If`)
                self.eval(node.orelse if decided else node.body, dict(env), frame)
            return self.eval(node.body if decided else node.orelse, env, frame)
        return self.eval(node.body, env, frame).join(self.eval(node.orelse, env, frame))

    def _eval_NamedExpr(self, node: cst.NamedExpr, env: Env, frame: Frame) -> Value:
        value = self.eval(node.value, env, frame)
        self.bind(node.target, value, env, frame)
        return value

    def _eval_Lambda(self, node, env: Env, frame: Frame) -> Value:
        return UNKNOWN

    def _eval_comprehension(self, node, env: Env, frame: Frame) -> Value:
        scope = dict(env)
        clause = node.for_in
        first = None
        while clause is not None:
            iterated = self.eval(clause.iter, scope, frame)
            first = iterated if first is None else first
            self.bind(clause.target, self._iteration_value(iterated), scope, frame)
            for condition in clause.ifs:
                self.eval(condition.test, scope, frame)
            clause = clause.inner_for_in
        loop_frame = replace(frame, loop_depth=frame.loop_depth + 1)
        if isinstance(node, cst.DictComp):
            self.eval(node.key, scope, loop_frame)
            element = self.eval(node.value, scope, loop_frame)
        else:
            element = self.eval(node.elt, scope, loop_frame)
        if isinstance(node, cst.SetComp):
            return UNKNOWN
        return self._comprehension_value(node, first, element, scope, loop_frame)

    _eval_ListComp = _eval_comprehension
    _eval_SetComp = _eval_comprehension

    _eval_GeneratorExp = _eval_comprehension

    _eval_DictComp = _eval_comprehension


# The nodes most often walked only for what they contain, whose fields hold their
# expressions in the order the code reads them (evaluation order matters: a call in
# a comparison is an event). LibCST's ``children`` lists a node's children with a
# visitor: for these nodes it was a tenth of the analysis.
_READ_IN_FIELD_ORDER = frozenset(
    {
        cst.Comparison,
        cst.ComparisonTarget,
        cst.Slice,
        cst.FormattedString,
        cst.FormattedStringExpression,
        cst.FormattedStringText,
        cst.ConcatenatedString,
        cst.Ellipsis,
    }
)


def _parts(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The children of ``node`` that can hold an expression, in reading order."""
    if type(node) in _READ_IN_FIELD_ORDER:
        return children(node, layout=False)
    return node.children
