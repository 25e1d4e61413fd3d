"""LL013 loss-kept-with-graph: accumulate ``loss.item()``.

``total += loss`` -> ``total += loss.item()`` (also ``total = total + loss`` and
``losses.append(loss)``). ``.item()`` turns a one-element tensor into a Python
number, so the fix is safe only where nothing could tell the difference: the
accumulator is a plain name, set from a number literal, and read only to be
printed or formatted. Anything else reading it (arithmetic whose result travels
on, ``total.backward()``, a return, a list of tensors later stacked) makes the fix
unsafe, as does a loss computed with ``reduction="none"`` (``.item()`` needs one
element).
"""

from __future__ import annotations

import libcst as cst

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.edits import parenthesized, replace
from losslint.fixes.tree import Tree, dotted, tree_of

_DISPLAY = frozenset({"print", "str", "float", "int", "round", "format", "repr"})


def build(finding: Finding) -> Fix | None:
    node = finding.node
    found = _accumulation(node)
    if found is None:
        return None
    target, value = found
    tree = tree_of(finding.source)
    new = cst.Call(func=cst.Attribute(value=parenthesized(value), attr=cst.Name("item")))
    safe = (
        not isinstance(node, cst.Call)
        and isinstance(target, cst.Name)
        and _only_displayed(tree, target.value, node)
        and not any(_unreduced(origin.node) for origin in finding.origins)
    )
    written = finding.source.module.code_for_node(new)
    text = f"`{written}`" if len(written) <= 40 and "\n" not in written else "its `.item()`"
    return Fix(
        f"Accumulate {text}, a number without the graph",
        safe=safe,
        edits=(replace(finding.source, value, new),),
    )


def _accumulation(node: cst.CSTNode):
    """(accumulator, the value added) of ``t += v``, ``t = t + v`` or ``t.append(v)``."""
    if isinstance(node, cst.AugAssign) and isinstance(node.operator, cst.AddAssign):
        return node.target, node.value
    if isinstance(node, cst.Assign) and len(node.targets) == 1:
        value = node.value
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
            return node.targets[0].target, value.right
        return None
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "append"
        and len(node.args) == 1
        and node.args[0].keyword is None
        and not node.args[0].star
    ):
        return node.func.value, node.args[0].value
    return None


def _only_displayed(tree: Tree, name: str, accumulation: cst.CSTNode) -> bool:
    """Whether every other read of ``name`` only prints or formats it."""
    found = tree.occurrences(tree.scope(accumulation), name)
    if found is None:
        return False
    for node in found:
        parent = tree.parent(node)
        if tree.contains(accumulation, node) or _accumulates(tree, node, name):
            continue
        if isinstance(parent, cst.AssignTarget):
            assign = tree.parent(parent)
            if isinstance(assign, cst.Assign) and isinstance(
                assign.value, (cst.Integer, cst.Float)
            ):
                continue
            return False
        if _displayed(tree, node):
            continue
        return False
    return True


def _displayed(tree: Tree, node: cst.CSTNode) -> bool:
    """``f"{total / n:.3f}"``, ``print(total)``: formatted, possibly after arithmetic."""
    parent = tree.parent(node)
    while isinstance(parent, (cst.BinaryOperation, cst.UnaryOperation)):
        node, parent = parent, tree.parent(parent)
    if isinstance(parent, cst.FormattedStringExpression):
        return True
    if isinstance(parent, cst.Arg) and parent.keyword is None and not parent.star:
        call = tree.parent(parent)
        return isinstance(call, cst.Call) and dotted(call.func) in _DISPLAY
    return False


def _accumulates(tree: Tree, node: cst.Name, name: str) -> bool:
    """``name`` in another ``name += v`` / ``name = name + v``."""
    for ancestor in tree.ancestors(node):
        if isinstance(ancestor, cst.AugAssign):
            return dotted(ancestor.target) == name
        if isinstance(ancestor, cst.Assign):
            found = _accumulation(ancestor)
            return found is not None and dotted(found[0]) == name
        if isinstance(ancestor, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return False
    return False


def _unreduced(node: cst.CSTNode) -> bool:
    """A loss call with a ``reduction=`` that is not a literal 'mean' or 'sum'."""
    if not isinstance(node, cst.Call):
        return False
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "reduction":
            value = arg.value
            if not isinstance(value, cst.SimpleString):
                return True
            return value.evaluated_value not in ("mean", "sum")
    return False
