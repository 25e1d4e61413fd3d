"""LL007 logits-into-bce."""

from __future__ import annotations

from losslint.analysis.events import CallSite
from losslint.analysis.losscalls import loss_call
from losslint.analysis.values import Kind
from losslint.checks.base import Check, describe, name_of


class LogitsIntoBCE(Check):
    """``BCELoss`` / ``F.binary_cross_entropy`` given a value known to be unbounded.

    Only evidence counts: the output of an affine layer (``Linear``, ``Conv``) with no
    squashing activation after it, directly or as what a model returns. An unknown
    value, or one passed through ``clamp``, is never reported.
    """

    code = "LL007"
    needs = (b"binary_cross_entropy", b"BCELoss")

    def on_call(self, site: CallSite) -> None:
        call = loss_call(site)
        if call is None or call.function != "binary_cross_entropy" or call.input is None:
            return
        tensors = call.input.value.tensors()
        if not tensors or not all(t.kind is Kind.LOGITS for t in tensors):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}, unbounded; "
            f"{call.display} expects probabilities in [0, 1] — use BCEWithLogitsLoss",
            [t.origin for t in tensors],
        )
