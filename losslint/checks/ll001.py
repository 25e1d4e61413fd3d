"""LL001 probabilities-into-cross-entropy."""

from __future__ import annotations

from losslint.checks.base import Check, describe, name_of
from losslint.interpret import CallSite
from losslint.losscalls import loss_call
from losslint.values import Kind


class ProbabilitiesIntoCrossEntropy(Check):
    code = "LL001"
    needs = (b"cross_entropy", b"CrossEntropyLoss")

    def on_call(self, site: CallSite) -> None:
        call = loss_call(site)
        if call is None or call.function != "cross_entropy" or call.input is None:
            return
        tensors = call.input.value.tensors()
        if not tensors or not all(t.kind is Kind.PROBS for t in tensors):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}; {call.display} applies "
            "log-softmax itself — pass the logits",
            [t.origin for t in tensors],
        )
