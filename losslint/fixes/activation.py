"""Where an activation was applied, seen from the loss (or log) that uses its output.

A fix for LL001/LL002 (drop the activation) and for LL004/LL005/LL008 (use its
log-space twin) has to find the call that applied the activation, from the
finding's origin, and decide whether it may rewrite the *use*:

- the activation is applied right there (``F.cross_entropy(F.softmax(x, 1), y)``);
- or the use reads a variable assigned just that (``probs = F.softmax(x, 1)``);
  then the rewritten expression moves to the use, which is safe when what it reads
  is not rebound in between and evaluating it there changes nothing else. The
  assignment goes when nothing else reads the variable, and stays otherwise.

Anything else (the value came through a function, a branch, a container) gets no
fix from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.program import SourceFile
from losslint.analysis.syntax import call_argument as _argument
from losslint.analysis.values import Origin
from losslint.checks.base import Finding
from losslint.diagnostics import Edit
from losslint.fixes.edits import delete_statement, parenthesized, replace
from losslint.fixes.tree import (
    Tree,
    comments,
    dotted,
    read_names,
)

# Tensor methods between the activation and its use that keep every value as it
# is (shape, dtype, device), so they can stay when the activation changes. Not
# ``clamp`` (it would clamp logits), not in-place methods (they would change the
# logits variable).
SHAPE_METHODS = torchapi.LAYOUT_METHODS
# A use inside these may run later or many times: what it reads may differ then.
_DEFERRED = (
    cst.Lambda,
    cst.FunctionDef,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
)


@dataclass(frozen=True)
class Application:
    """A call that applies the activation, and the expression it is applied to.

    ``module`` is the construction (``nn.Softmax(dim=1)``) when the call applies an
    activation module (``self.softmax(h)``); None for ``F.softmax(h, dim=1)`` or
    ``h.softmax(1)``.
    """

    call: cst.Call
    input: cst.BaseExpression
    module: cst.Call | None = None

    @property
    def is_method(self) -> bool:
        func = self.call.func
        return self.module is None and isinstance(func, cst.Attribute) and func.value is self.input


@dataclass(frozen=True)
class Reach:
    """How the use sees the activation: applied in place, or through a variable."""

    applied: Application
    use: cst.BaseExpression  # what a fix replaces: the call itself, or the variable
    assignment: cst.SimpleStatementLine | None = None
    holder: cst.CSTNode | None = None  # the statement next to the assignment holding the use
    between: tuple[cst.CSTNode, ...] = ()  # statements after the assignment, holder included
    only_here: bool = False  # nothing else reads the variable

    @property
    def nested(self) -> bool:
        return self.assignment is None


def single_origin(finding: Finding) -> Origin | None:
    """The one place the flagged value was made, in the finding's own file."""
    nodes = {id(origin.node): origin for origin in finding.origins}
    if len(nodes) != 1:
        return None
    (origin,) = nodes.values()
    return origin if origin.source is finding.source else None


def strip_shape_calls(
    expression: cst.BaseExpression, origin: Origin
) -> tuple[cst.BaseExpression, bool]:
    """``F.softmax(x, 1).view(-1)`` -> (``F.softmax(x, 1)``, True: it is a receiver)."""
    receiver = False
    while (
        isinstance(expression, cst.Call)
        and expression is not origin.node
        and isinstance(expression.func, cst.Attribute)
        and expression.func.attr.value in SHAPE_METHODS
    ):
        expression = expression.func.value
        receiver = True
    return expression, receiver


def application(expression: cst.CSTNode, origin: Origin, tree: Tree) -> Application | None:
    """``expression`` as the call that applied the activation ``origin`` names, if it is one."""
    if not isinstance(expression, cst.Call):
        return None
    if expression is origin.node:
        func = expression.func
        if isinstance(func, cst.Attribute):
            base = dotted(func.value)
            if base is None or not tree.is_module_name(base.split(".", 1)[0]):
                return Application(expression, func.value)  # ``x.softmax(dim=1)``
        inner = _argument(expression, 0, "input")
        return Application(expression, inner) if inner is not None else None
    # ``self.act(h)`` where ``self.act = nn.Sigmoid()`` made the value.
    if not isinstance(origin.node, cst.Call):
        return None
    target = assigned_name(origin.node, tree)
    if target is None or dotted(expression.func) != target:
        return None
    if len(expression.args) != 1:
        return None
    (arg,) = expression.args
    if arg.keyword is not None or arg.star:
        return None
    return Application(expression, arg.value, origin.node)


def assigned_name(node: cst.CSTNode, tree: Tree) -> str | None:
    """``self.act`` when ``node`` is the whole value of ``self.act = node``."""
    parent = tree.parent(node)
    if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
        return dotted(parent.targets[0].target)
    if isinstance(parent, cst.AnnAssign) and parent.value is node:
        return dotted(parent.target)
    return None


def reach(source: SourceFile, tree: Tree, origin: Origin, use: cst.BaseExpression) -> Reach | None:
    """How ``use`` (shape calls already stripped) holds the output of ``origin``."""
    applied = application(use, origin, tree)
    if applied is not None:
        return Reach(applied, use)
    if not isinstance(use, cst.Name):
        return None
    found = reaching_assignment(tree, use)
    if found is None:
        return None
    statement, holder = found
    value = statement.body[0].value
    applied = application(value, origin, tree)
    if applied is None or applied.call is not value:
        return None
    block = tree.block_of(statement)
    first = _index(block, statement)
    last = _index(block, holder)
    between = tuple(block[first + 1 : last + 1])
    return Reach(applied, use, statement, holder, between, _only_here(source, tree, statement, use))


def _only_here(
    source: SourceFile, tree: Tree, assignment: cst.SimpleStatementLine, use: cst.Name
) -> bool:
    """Whether ``use`` is the only read of the value ``assignment`` gives its name.

    Other appearances of the name do not read it when they are in the assignment
    itself (its target, and reads of the previous value), a parameter, or earlier in
    straight-line code; one in a nested function or after the assignment might.
    """
    scope = tree.scope(use)
    found = tree.occurrences(scope, use.value)
    if found is None:
        return False
    start = source.position(assignment).start
    around = _ancestors_within(tree, assignment, scope)
    looped = any(isinstance(node, (cst.For, cst.While)) for node in around)
    for node in found:
        if node is use or tree.contains(assignment, node):
            continue
        if isinstance(tree.parent(node), cst.Param) and tree.scope(node) is scope:
            continue
        nested = tree.scope(node) is not scope or any(
            isinstance(a, cst.ClassDef) for a in _ancestors_within(tree, node, scope)
        )
        position = source.position(node).start
        earlier = (position.line, position.column) < (start.line, start.column)
        if nested or looped or not earlier:
            return False
    return True


def movable(tree: Tree, found: Reach, expression: cst.BaseExpression) -> bool:
    """Whether ``expression``, built from the activation call, may be evaluated at the use.

    In place it always may. Through a variable, what it reads must not be rebound
    in between, and the use must not run later or repeatedly (lambda, comprehension).
    An expression that only reads names and constants may then be evaluated there
    even when the variable stays; anything else (``model(x)``) only moves — right
    after its assignment, into a simple statement, with the assignment removed.
    """
    if found.nested:
        return True
    names = read_names(expression)
    if found.use.value in names and not found.only_here:
        return False
    if any(tree.bound(item) & names for item in found.between):
        return False
    around = _ancestors_within(tree, found.use, found.holder)
    if any(isinstance(node, _DEFERRED) for node in around):
        return False
    if comments(expression):
        return False  # they would be duplicated at the use
    if _recomputable(found.applied):
        return True
    adjacent = len(found.between) == 1 and isinstance(found.holder, cst.SimpleStatementLine)
    return adjacent and found.only_here


def substitute(
    finding: Finding,
    found: Reach,
    expression: cst.BaseExpression,
    receiver: bool,
    outer: tuple[cst.CSTNode, cst.BaseExpression] | None = None,
) -> tuple[Edit, ...]:
    """The edits putting ``expression`` where ``found.use`` is (and dropping a dead assignment).

    ``outer`` = (node, within): replace ``node`` by ``within`` with the use
    substituted in it (``torch.log(probs.view(-1))`` -> ``F.log_softmax(..).view(-1)``).
    """
    new = parenthesized(expression) if receiver else expression
    if outer is None:
        edits = [replace(finding.source, found.use, new)]
    else:
        node, within = outer
        edits = [replace(finding.source, node, within.deep_replace(found.use, new))]
    if found.assignment is not None and found.only_here:
        edits.append(delete_statement(finding.source, found.assignment))
    return tuple(edits)


def rewrite(
    finding: Finding,
    found: Reach,
    tree: Tree,
    build: Callable[[Application], cst.BaseExpression | None],
) -> cst.BaseExpression | None:
    """``build``'s replacement of the activation call, if it may stand at the use."""
    if comments(found.applied.call) != comments(found.applied.input):
        return None  # comments inside the activation call would be lost
    expression = build(found.applied)
    if expression is None or not movable(tree, found, expression):
        return None
    return expression


def reaching_assignment(
    tree: Tree, use: cst.Name
) -> tuple[cst.SimpleStatementLine, cst.CSTNode] | None:
    """The statement ``name = ...`` whose value ``use`` reads, and the sibling holding ``use``.

    Walks outwards from the use through the enclosing blocks of its own function;
    the first earlier statement that binds the name must be that plain assignment.
    """
    for holder in tree.ancestors(use):
        if isinstance(holder, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return None
        if not isinstance(holder, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            continue
        block = tree.block_of(holder)
        if block is None:
            continue
        for index in range(_index(block, holder) - 1, -1, -1):
            statement = block[index]
            if use.value not in tree.bound(statement):
                continue
            if _plain_assignment(statement, use.value):
                return statement, holder
            return None
    return None


def _recomputable(applied: Application) -> bool:
    """Whether the activation call reads only names, attributes of names and constants.

    Then the fix's expression (the activation's torch twin over the same arguments,
    or its input alone) computes the same wherever those names hold the same.
    """
    parts = [arg.value for arg in applied.call.args]
    if applied.is_method:
        parts.append(applied.input)
    if any(arg.star for arg in applied.call.args):
        return False
    return all(_pure(part) for part in parts)


def _pure(node: cst.CSTNode) -> bool:
    if dotted(node) is not None or isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return _pure(node.expression)
    if isinstance(node, cst.Subscript):  # ``logits[:, 0]``
        return _pure(node.value) and all(_pure_slice(item.slice) for item in node.slice)
    return False


def _pure_slice(item: cst.BaseSlice) -> bool:
    if isinstance(item, cst.Index):
        return item.star is None and _pure(item.value)
    bounds = (item.lower, item.upper, item.step)
    return all(bound is None or _pure(bound) for bound in bounds)


def _plain_assignment(statement: cst.CSTNode, name: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    assign = statement.body[0]
    return (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and assign.targets[0].target.value == name
    )


def _ancestors_within(tree: Tree, node: cst.CSTNode, outer: cst.CSTNode | None):
    for ancestor in tree.ancestors(node):
        if ancestor is outer:
            return
        yield ancestor


def _index(block, statement: cst.CSTNode) -> int:
    return next(index for index, item in enumerate(block) if item is statement)
