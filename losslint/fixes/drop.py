"""Dropping an activation the loss applies again (LL001, LL002).

``cross_entropy`` applies log-softmax and ``BCEWithLogitsLoss`` a sigmoid to their
input, so a softmax or sigmoid already applied has to go. Where it was applied
decides the fix's safety:

- in the loss call itself (``F.cross_entropy(F.softmax(x, dim=1), y)``), or to a
  variable only the loss reads: removing it changes nothing else — safe;
- to a variable also read elsewhere (accuracy): the loss is given the activation's
  input and the variable stays — safe, when that input is still the same there;
- as the last layer of an ``nn.Sequential``, or ``return self.act(h)`` /
  ``return F.softmax(h, dim=1)`` in ``forward``: only the model can change, and
  every caller of the model then gets logits — unsafe, applied only with
  ``--unsafe-fixes``.
"""

from __future__ import annotations

import libcst as cst

from losslint.analysis.syntax import call_argument as _argument
from losslint.analysis.values import Origin
from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.activation import (
    Application,
    application,
    assigned_name,
    reach,
    rewrite,
    single_origin,
    strip_shape_calls,
    substitute,
)
from losslint.fixes.edits import parenthesized, replace
from losslint.fixes.tree import Tree, comments, dotted, tree_of


def drop_activation(finding: Finding) -> Fix | None:
    """The fix of an LL001/LL002 finding: give the loss what the activation was given."""
    origin = single_origin(finding)
    if origin is None or not isinstance(finding.node, cst.Call):
        return None
    argument = _argument(finding.node, 0, "input")
    if argument is None:
        return None
    return drop_from(finding, origin, argument)


def drop_from(finding: Finding, origin: Origin, argument: cst.BaseExpression) -> Fix | None:
    """Remove the activation ``origin`` made from what ``argument`` (a loss input) holds."""
    tree = tree_of(finding.source)
    use, receiver = strip_shape_calls(argument, origin)
    found = reach(finding.source, tree, origin, use)
    if found is not None:
        inner = rewrite(finding, found, tree, lambda applied: applied.input)
        if inner is not None:
            edits = substitute(finding, found, inner, receiver)
            return Fix(_describe(finding, found.applied), safe=True, edits=edits)
    return _from_model(finding, origin, tree)


def _from_model(finding: Finding, origin: Origin, tree: Tree) -> Fix | None:
    """Unsafe: take the activation out of the model that returns probabilities."""
    construction = origin.node
    parent = tree.parent(construction)
    if isinstance(parent, cst.Arg):
        sequential = tree.parent(parent)
        if isinstance(sequential, cst.Call):
            return _drop_last_layer(finding, origin, sequential, parent)
        return None
    function = next(
        (a for a in tree.ancestors(construction) if isinstance(a, (cst.FunctionDef, cst.Lambda))),
        None,
    )
    if isinstance(function, cst.FunctionDef) and function.name.value == "forward":
        # ``return F.softmax(self.fc(x), dim=1)``: the activation is applied in forward.
        owner = next((a for a in tree.ancestors(function) if isinstance(a, cst.ClassDef)), None)
        return _from_forward(finding, origin, tree, owner, function)
    target = assigned_name(construction, tree)
    if target is None or "." not in target:
        return None
    owner = next((a for a in tree.ancestors(construction) if isinstance(a, cst.ClassDef)), None)
    if owner is None:
        return None
    forward = next(
        (
            item
            for item in owner.body.body
            if isinstance(item, cst.FunctionDef) and item.name.value == "forward"
        ),
        None,
    )
    return _from_forward(finding, origin, tree, owner, forward)


def _from_forward(
    finding: Finding,
    origin: Origin,
    tree: Tree,
    owner: cst.ClassDef | None,
    forward: cst.FunctionDef | None,
) -> Fix | None:
    """Unsafe: ``return act(h)``, the one return of ``owner.forward``, becomes ``return h``."""
    if owner is None or forward is None or tree.parent(tree.parent(forward)) is not owner:
        return None
    step = f"returned by {owner.name.value}.forward"
    if not origin.via or origin.via[0] != step:
        return None
    returns = _returns(forward)
    if len(returns) != 1 or returns[0].value is None:
        return None
    returned, receiver = strip_shape_calls(returns[0].value, origin)
    applied = application(returned, origin, tree)
    if applied is None or comments(applied.call) != comments(applied.input):
        return None
    new = parenthesized(applied.input) if receiver else applied.input
    edit = replace(finding.source, applied.call, new)
    description = (
        f"Remove `{origin.what}` from `{owner.name.value}.forward`: it then returns logits "
        "to every caller, which must apply the activation where they need probabilities"
    )
    return Fix(description, safe=False, edits=(edit,))


def _drop_last_layer(
    finding: Finding, origin: Origin, sequential: cst.Call, layer: cst.Arg
) -> Fix | None:
    args = sequential.args
    name = dotted(sequential.func) or ""
    if name.rsplit(".", 1)[-1] != "Sequential" or len(args) < 2 or args[-1] is not layer:
        return None
    if any(arg.keyword is not None or arg.star for arg in args):
        return None
    previous = args[-2]
    if comments(layer) or comments(previous.comma):
        return None  # the layer's own comments, or the previous line's, would be lost
    if isinstance(layer.comma, cst.Comma) and isinstance(previous.comma, cst.Comma):
        comma = previous.comma.with_changes(whitespace_after=layer.comma.whitespace_after)
    else:
        comma = cst.MaybeSentinel.DEFAULT
    kept = previous.with_changes(comma=comma, whitespace_after_arg=layer.whitespace_after_arg)
    new = sequential.with_changes(args=(*args[:-2], kept))
    description = (
        f"Remove the final `{origin.what}` layer from the `nn.Sequential`: the model then "
        "returns logits to every caller, which must apply the activation where they need "
        "probabilities"
    )
    return Fix(description, safe=False, edits=(replace(finding.source, sequential, new),))


def _describe(finding: Finding, applied: Application) -> str:
    func = applied.call.func
    if applied.is_method and isinstance(func, cst.Attribute):
        name = f".{func.attr.value}()"
    else:
        name = _short(finding, func) or "the activation"
    given = _short(finding, applied.input)
    return f"Remove `{name}`: pass `{given}` to the loss" if given else f"Remove `{name}`"


def _short(finding: Finding, node: cst.CSTNode) -> str:
    """The code of ``node`` when it fits in a message, else ""."""
    text = finding.source.code(node).strip()
    return text if "\n" not in text and len(text) <= 40 else ""


def _returns(function: cst.FunctionDef) -> list[cst.Return]:
    found: list[cst.Return] = []
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Return):
            found.append(node)
        stack.extend(node.children)
    return found
