"""Reading LibCST nodes: dotted names, bodies, call arguments, simple statements."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import libcst as cst

from losslint.analysis.program import FunctionInfo
from losslint.analysis.values import (
    UNKNOWN,
    Atom,
    TupleValue,
    Value,
)

if TYPE_CHECKING:
    from losslint.analysis.events import Argument


def body_of(node) -> Sequence[cst.CSTNode]:
    body = node.body
    return body.body if hasattr(body, "body") else body


def dotted_name(node) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    return None


def call_argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The expression passed for a parameter of ``call``, by keyword or position."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [arg for arg in call.args if arg.keyword is None]
    if position < len(positional) and not positional[position].star:
        if not any(arg.star for arg in positional[:position]):
            return positional[position].value
    return None


def small_statements(node: cst.CSTNode) -> Iterator[cst.BaseSmallStatement]:
    """The simple statements of a body, through compound statements but not into
    nested functions or classes. Walks statements only, never expressions: it is far
    cheaper than a visitor over the whole tree."""
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return
    if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        yield from node.body
        return
    if isinstance(node, cst.IndentedBlock):
        for statement in node.body:
            yield from small_statements(statement)
        return
    for part in ("body", "orelse", "handlers", "finalbody", "cases"):
        child = getattr(node, part, None)
        if child is None:
            continue
        for inner in child if isinstance(child, (list, tuple)) else (child,):
            yield from small_statements(inner)


def first_input(args: tuple[Argument, ...]) -> Value:
    for arg in args:
        if arg.keyword in (None, "input") and not arg.star:
            return arg.value
    return UNKNOWN


def item_of(value: Value, index: int, count: int) -> Value:
    def one(atom: Atom) -> Value:
        if isinstance(atom, TupleValue) and len(atom.items) == count:
            return atom.items[index]
        return UNKNOWN

    return value.map(one) if value else UNKNOWN


def first_param(info: FunctionInfo) -> str:
    params = [*info.node.params.posonly_params, *info.node.params.params]
    return params[0].name.value if params else "self"


def is_static(node: cst.FunctionDef) -> bool:
    return any(
        dotted_name(decorator.decorator) in ("staticmethod", "classmethod")
        for decorator in node.decorators
    )


def unsubscript(node):
    while isinstance(node, cst.Subscript):
        node = node.value
    return node


# The fields of a node that hold code, by node type (not whitespace, commas, brackets).
_FIELDS: dict[tuple[type, bool], tuple[str, ...]] = {}
_LAYOUT = ("whitespace", "lpar", "rpar", "comma", "leading_lines", "lines_after_decorators")
_LAYOUT_FIELDS = frozenset({"header", "footer", "newline", "trailing_whitespace", "semicolon"})


def children(node: cst.CSTNode, layout: bool = True) -> list[cst.CSTNode]:
    """The nodes directly under ``node``, in the order of its fields (the order the code
    reads, but for a few node types: decorators, a conditional expression's test);
    without ``layout``, only those that hold code (no whitespace, comments, brackets).

    Reads the fields directly: LibCST's ``children`` rebuilds the node with a visitor to
    list them, and costs tens of times more on a large file."""
    kind = type(node)
    fields = _FIELDS.get((kind, layout))
    if fields is None:
        fields = _FIELDS[kind, layout] = tuple(
            f.name
            for f in dataclasses.fields(kind)
            if layout or (not f.name.startswith(_LAYOUT) and f.name not in _LAYOUT_FIELDS)
        )
    found: list[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(item for item in value if isinstance(item, cst.CSTNode))
    return found


def walk(node: cst.CSTNode, scopes: bool = True) -> Iterator[cst.CSTNode]:
    """Every node of code under ``node`` (itself included), in no particular order;
    without ``scopes``, not into nested functions, classes and lambdas."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not scopes and current is not node and isinstance(current, _SCOPES):
            continue
        stack.extend(children(current, layout=False))


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def target_names(target: cst.CSTNode, through_parts: bool = False) -> set[str]:
    """The names an assignment target binds: ``a`` and ``b`` for ``a, *b``. With
    ``through_parts``, also the root of ``a.b`` and ``a[0]`` (assigning to them changes
    what ``a``-based reads see)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        found: set[str] = set()
        for element in target.elements:
            found |= target_names(element.value, through_parts)
        return found
    if isinstance(target, cst.StarredElement):
        return target_names(target.value, through_parts)
    if through_parts and isinstance(target, (cst.Attribute, cst.Subscript)):
        return target_names(target.value, through_parts)
    return set()


def names_in(node: cst.CSTNode) -> frozenset[str]:
    """Every plain name written anywhere inside ``node``."""
    return frozenset(n.value for n in walk(node) if isinstance(n, cst.Name))


def negated(node: cst.BaseExpression, scope: cst.CSTNode) -> bool:
    """Whether ``node`` is the operand of a unary minus (``-F.nll_loss(...)``) in ``scope``.

    A walk of ``scope``: asked only by a rule about to report, never on the way."""
    finder = _NegationFinder(node)
    scope.visit(finder)
    return finder.found


class _NegationFinder(cst.CSTVisitor):
    def __init__(self, node: cst.BaseExpression) -> None:
        self.node = node
        self.found = False

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> bool:
        if isinstance(node.operator, cst.Minus) and node.expression is self.node:
            self.found = True
        return not self.found

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not self.found and super().on_visit(node)
