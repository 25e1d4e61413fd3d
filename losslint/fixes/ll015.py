"""LL015 input-and-target-swapped: swap the two arguments.

``criterion(labels, outputs)`` -> ``criterion(outputs, labels)``, each argument keeping
its comments and layout. Safe when at most one of the two calls anything: swapping
the order in which a name and a call are evaluated changes nothing. Two calls
(``criterion(y.to(dev), model(x))``) swap the order their side effects happen in,
so that fix is unsafe.
"""

from __future__ import annotations

import libcst as cst

from losslint.analysis.events import CallSite
from losslint.analysis.losscalls import loss_call
from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.edits import replace


def build(finding: Finding) -> Fix | None:
    call = finding.node
    if not isinstance(call, cst.Call) or not isinstance(finding.event, CallSite):
        return None
    loss = loss_call(finding.event)
    if loss is None or loss.input is None or loss.target is None:
        return None
    first, second = loss.input.node, loss.target.node
    positions = [i for i, arg in enumerate(call.args) if arg.value is first or arg.value is second]
    if len(positions) != 2:
        return None
    i, j = positions
    args = list(call.args)
    args[i], args[j] = (
        args[i].with_changes(value=args[j].value),
        args[j].with_changes(value=args[i].value),
    )
    safe = not (_calls(first) and _calls(second))
    edit = replace(finding.source, call, call.with_changes(args=args))
    return Fix("Swap the arguments: the prediction first, the target second", safe, (edit,))


def _calls(node: cst.CSTNode) -> bool:
    """Whether evaluating ``node`` calls anything."""
    if isinstance(node, cst.Call):
        return True
    return any(_calls(child) for child in node.children)
