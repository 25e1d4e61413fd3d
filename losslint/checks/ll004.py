"""LL004 probabilities-into-nll."""

from __future__ import annotations

from losslint.checks.base import Check, describe, is_softmax_output, name_of
from losslint.interpret import CallSite
from losslint.losscalls import loss_call


class ProbabilitiesIntoNLL(Check):
    """Softmax probabilities (or ``exp`` of log-probabilities) given to ``NLLLoss``.

    Sigmoid outputs are deliberately not reported: they are not a distribution over
    classes, so the ``softmax`` -> ``log_softmax`` fix does not apply to them.
    ``torch.log(probs)`` is log-probabilities as far as NLL is concerned: LL005 says
    how to compute it stably.
    """

    code = "LL004"
    needs = (b"nll_loss", b"NLLLoss")

    def on_call(self, site: CallSite) -> None:
        call = loss_call(site)
        if call is None or call.function != "nll_loss" or call.input is None:
            return
        tensors = call.input.value.tensors()
        if not tensors or not all(is_softmax_output(t) for t in tensors):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}; {call.display} expects "
            "log-probabilities — use log_softmax instead of softmax",
            [t.origin for t in tensors],
        )
