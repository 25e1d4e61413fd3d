"""Binary cross-entropy on logits (LL006, LL007).

``BCELoss`` on a sigmoid output computes the right objective unstably (LL006); on
an unbounded value it computes nonsense (LL007). Both fixes switch the loss to its
"with logits" twin — ``nn.BCELoss`` -> ``nn.BCEWithLogitsLoss``,
``F.binary_cross_entropy`` -> ``F.binary_cross_entropy_with_logits``, same
arguments — and LL006 also gives it the sigmoid's input instead of its output.

Switching a criterion object is safe only when this call is its only use; another
call of the same ``criterion`` may pass real probabilities.
"""

from __future__ import annotations

import libcst as cst

from losslint.analysis.events import CallSite
from losslint.analysis.losscalls import LossCall, loss_call
from losslint.analysis.syntax import call_argument as _argument
from losslint.checks.base import Finding
from losslint.diagnostics import Edit, Fix
from losslint.fixes.activation import single_origin
from losslint.fixes.drop import drop_from
from losslint.fixes.edits import replace
from losslint.fixes.imports import FUNCTIONAL, NN, name_module
from losslint.fixes.tree import Tree, dotted, tree_of

_TWINS = {
    "binary_cross_entropy": "binary_cross_entropy_with_logits",
    "BCELoss": "BCEWithLogitsLoss",
}


def sigmoid_then_bce(finding: Finding) -> Fix | None:
    """LL006: ``BCELoss()(torch.sigmoid(z), y)`` -> ``BCEWithLogitsLoss()(z, y)``."""
    origin = single_origin(finding)
    call = _loss(finding)
    if origin is None or call is None or call.input is None:
        return None
    switched = switch_to_logits(finding, call)
    if switched is None:
        return None
    edits, safe, name = switched
    dropped = drop_from(finding, origin, call.input.node)
    if dropped is None:
        return None  # the loss must not get the sigmoid twice
    return Fix(
        f"Use `{name}` on the sigmoid's input",
        safe=safe and dropped.safe,
        edits=(*edits, *dropped.edits),
    )


def logits_into_bce(finding: Finding) -> Fix | None:
    """LL007: ``BCELoss`` -> ``BCEWithLogitsLoss``; unsafe, the value may be a probability."""
    call = _loss(finding)
    if call is None:
        return None
    switched = switch_to_logits(finding, call)
    if switched is None:
        return None
    edits, _, name = switched
    return Fix(f"Use `{name}`, which applies the sigmoid itself", safe=False, edits=edits)


def switch_to_logits(finding: Finding, call: LossCall) -> tuple[tuple[Edit, ...], bool, str] | None:
    """Edits turning the loss into its with-logits twin, whether that is safe, its name."""
    tree = tree_of(finding.source)
    if not call.modules:
        return _switch_function(finding, tree, call.node)
    constructions = {id(module.call): module for module in call.modules}
    if len(constructions) != 1:
        return None
    (module,) = constructions.values()
    if module.origin.source is not finding.source:
        return None
    renamed = _renamed(finding, tree, module.call.func, is_class=True)
    if renamed is None:
        return None
    new_func, edits, name = renamed
    new = module.call.with_changes(func=new_func)
    safe = _only_this_call(finding, tree, module.call, call.node)
    return (replace(finding.source, module.call, new), *edits), safe, name


def _switch_function(finding: Finding, tree: Tree, call: cst.Call):
    renamed = _renamed(finding, tree, call.func, is_class=False)
    if renamed is None:
        return None
    new_func, edits, name = renamed
    return (replace(finding.source, call.func, new_func), *edits), True, name


def _renamed(finding: Finding, tree: Tree, func: cst.BaseExpression, is_class: bool):
    """The twin's name, written as the file writes torch's (``nn.X``, ``F.x``, an alias)."""
    if isinstance(func, cst.Attribute) and func.attr.value in _TWINS:
        twin = _TWINS[func.attr.value]
        new = func.with_changes(attr=func.attr.with_changes(value=twin))
        return new, (), finding.source.module.code_for_node(new)
    name = dotted(func)
    if name is None:
        return None
    # ``from torch.nn import BCELoss`` (or an alias): name the twin through the module.
    short = "BCELoss" if is_class else "binary_cross_entropy"
    module = name_module(finding.source, tree, NN if is_class else FUNCTIONAL)
    if module is None:
        return None
    new = module.attribute(_TWINS[short])
    return new, module.edits, finding.source.module.code_for_node(new)


def _only_this_call(finding: Finding, tree: Tree, construction: cst.Call, call: cst.Call) -> bool:
    """Whether the criterion built by ``construction`` is used by ``call`` and nothing else."""
    if call.func is construction:
        return True  # ``nn.BCELoss()(p, y)``
    parent = tree.parent(construction)
    if not isinstance(parent, cst.Assign) or len(parent.targets) != 1:
        return False
    target = parent.targets[0].target
    if isinstance(target, cst.Name):
        if dotted(call.func) != target.value:
            return False
        found = tree.occurrences(tree.scope(construction), target.value)
        return found is not None and len(found) == 2  # the assignment and this call
    name = dotted(target)
    if name is None or not name.startswith("self.") or dotted(call.func) != name:
        return False
    owner = next((a for a in tree.ancestors(construction) if isinstance(a, cst.ClassDef)), None)
    if owner is None or not tree.contains(owner, call):
        return False
    uses = [node for node in _attributes(owner) if dotted(node) == name]
    return len(uses) == 2


def _attributes(node: cst.CSTNode):
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Attribute):
            yield current
        stack.extend(current.children)


def _loss(finding: Finding) -> LossCall | None:
    site = finding.event
    if not isinstance(site, CallSite) or site.node is not finding.node:
        return None
    call = loss_call(site)
    if call is None or call.function != "binary_cross_entropy":
        return None
    if call.input is None or call.input.node is not _argument(call.node, 0, "input"):
        return None
    return call
