"""LL010 softmax-implicit-dim."""

from __future__ import annotations

import libcst as cst

from losslint.analysis.events import CallSite
from losslint.checks.base import Check, torch_callee

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
