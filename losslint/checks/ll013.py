"""LL013 loss-kept-with-graph."""

from __future__ import annotations

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import Accumulation, Argument, CallSite, ScopeEnd
from losslint.analysis.values import ImportRef, Kind, Method
from losslint.checks.base import Check, describe, name_of

_BACKWARD_METHODS = frozenset({"backward", "manual_backward"})


class LossKeptWithGraph(Check):
    """A loss tensor, graph and all, added to an accumulator that outlives the step.

    Two things make it a leak rather than a sum the user means to backpropagate:
    the accumulator is carried across iterations of a loop (not rebound earlier in
    the same iteration, as ``loss = loss + aux`` is), and that loop is a training loop
    — something in its body calls ``backward()``. Summing the losses of heads or
    chunks in a loop with no backward in it (``total += crit(out, y)`` then
    ``total.backward()``, or ``return total``) is the intended use, and stays quiet.
    """

    code = "LL013"
    needs = (b"backward",)
    also_needs = torchapi.LOSS_NAME_PATTERNS

    def __init__(self, report) -> None:
        super().__init__(report)
        self._training_loops: set[cst.CSTNode] = set()
        self._candidates: list[Accumulation] = []

    def on_call(self, site: CallSite) -> None:
        if site.callee and all(_is_backward(atom) for atom in site.callee):
            self._training_loops.update(site.context.loops)

    def on_accumulate(self, site: Accumulation) -> None:
        if site.context.no_grad or not site.carried_by:
            return
        tensors = site.value.tensors()
        if tensors and all(t.kind is Kind.LOSS and t.has_graph for t in tensors):
            self._candidates.append(site)

    def on_scope_end(self, scope: ScopeEnd) -> None:
        # Scope ends arrive after the whole file: every backward() has been seen.
        candidates, self._candidates = self._candidates, []
        for site in candidates:
            if not any(loop in self._training_loops for loop in site.carried_by):
                continue
            self.context, self.event = site.context, site
            source = site.context.source
            added = name_of(Argument(None, site.value, site.value_node), source)
            tensors = site.value.tensors()
            self.flag(
                site.node,
                source,
                f"`{site.target}` accumulates {added}, {describe(tensors)} still holding its "
                "autograd graph: the graph of every iteration stays in memory — accumulate "
                f"{_item(site.value_node, source)} (or .detach() it)",
                [t.origin for t in tensors],
            )


def _is_backward(atom) -> bool:
    if isinstance(atom, Method):
        return atom.name in _BACKWARD_METHODS
    return isinstance(atom, ImportRef) and (
        torchapi.canonical(atom.qualname) == "torch.autograd.backward"
    )


def _item(node: cst.BaseExpression, source) -> str:
    """``loss.item()``, ``(loss * w).item()``, or words when the code is long."""
    text = source.code(node).strip()
    if "\n" in text or len(text) > 40:
        return "its .item()"
    simple = isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript))
    return f"`{text}.item()`" if simple else f"`({text}).item()`"
