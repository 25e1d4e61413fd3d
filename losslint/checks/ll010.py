"""LL010 softmax-implicit-dim."""

from __future__ import annotations

import ast

import libcst as cst

from losslint.analysis.events import CallSite
from losslint.checks.base import Check, torch_callee
from losslint.codefacts import CodeFacts

# The callables whose ``dim`` may be left out, and where ``dim`` sits positionally.
# ``torch.softmax``, ``torch.log_softmax`` and the tensor methods require it: a call
# without it raises a TypeError, so it cannot be silently wrong.
_DIM_POSITION = {
    "torch.nn.functional.softmax": 1,
    "torch.nn.functional.log_softmax": 1,
    "torch.nn.Softmax": 0,
    "torch.nn.LogSoftmax": 0,
}


# torch's ``_get_softmax_dim``. The analysis does not know ranks, so the message states
# the rule, never a rank: a 2-D input gets dim 1 (right), a 1-D one dim 0 (right too).
_RULE = "dim 0 for 0-, 1- and 3-D inputs (for a 3-D batch, the batch), dim 1 otherwise"


class SoftmaxImplicitDim(Check):
    """``F.softmax`` / ``F.log_softmax`` / ``nn.Softmax`` / ``nn.LogSoftmax`` without a dim.

    ``dim=None`` written out is as implicit as no dim. ``_stacklevel`` and ``dtype``
    are not a dim; a call with ``*args`` or ``**kwargs`` may pass one, so it is not
    reported.
    """

    code = "LL010"
    needs = (b"softmax", b"Softmax")

    @classmethod
    def may_report_without_loss(cls, facts: CodeFacts) -> bool:
        calls = facts.calls_of(_NAMES)
        return calls is None or any(_may_lack_dim(call) for call in calls)

    def on_call(self, site: CallSite) -> None:
        name = torch_callee(site)
        if name not in _DIM_POSITION or any(arg.star for arg in site.args):
            return
        dim = site.argument(_DIM_POSITION[name], "dim")
        if dim is not None and not _is_none(dim.node):
            return
        written = site.context.source.code(site.node.func).strip()
        self.flag(
            site.node,
            site.context.source,
            f"`{written}` without dim lets torch pick the dim from the input's rank: {_RULE} "
            "— pass dim= explicitly",
        )


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


# The short names of the callables above, as a call in the syntax tree spells them.
_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _DIM_POSITION)


def _may_lack_dim(call: ast.Call) -> bool:
    """Whether a call of one of the names above could be one this rule reports: without
    a dim where the function or class would take it. ``x.softmax(-1)`` counts as
    ``F.softmax(-1)`` would: from the syntax alone ``x`` may be a module."""
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        return False
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    if None in keywords:  # **kwargs
        return False
    if "dim" in keywords:
        return _is_none_literal(keywords["dim"])
    name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
    position = max(p for qualname, p in _DIM_POSITION.items() if qualname.endswith(f".{name}"))
    return len(call.args) <= position or _is_none_literal(call.args[position])


def _is_none_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
