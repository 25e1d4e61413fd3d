"""LL002 probabilities-into-bce-with-logits."""

from __future__ import annotations

from losslint.checks.base import Check, describe, name_of
from losslint.interpret import CallSite
from losslint.losscalls import loss_call
from losslint.values import Kind


class ProbabilitiesIntoBCEWithLogits(Check):
    code = "LL002"
    needs = (b"binary_cross_entropy_with_logits", b"BCEWithLogitsLoss")

    def on_call(self, site: CallSite) -> None:
        call = loss_call(site)
        if call is None or call.function != "binary_cross_entropy_with_logits":
            return
        if call.input is None:
            return
        tensors = call.input.value.tensors()
        if not tensors or not all(t.kind is Kind.PROBS for t in tensors):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}; {call.display} applies "
            "sigmoid itself — pass the logits",
            [t.origin for t in tensors],
        )
