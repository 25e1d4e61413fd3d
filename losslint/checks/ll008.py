"""LL008 probabilities-into-kl-div."""

from __future__ import annotations

from losslint.checks.base import Check, describe, is_softmax_output, name_of
from losslint.interpret import CallSite
from losslint.losscalls import loss_call


class ProbabilitiesIntoKLDiv(Check):
    """``kl_div`` / ``KLDivLoss`` whose *input* is a softmax, not a log_softmax.

    Only the input: the target is probabilities by default, which is right (with
    ``log_target=True`` a target of probabilities would be a different mistake that
    this rule does not guess at). Sigmoid outputs are left alone, as in LL004: they
    are not a distribution over classes, so ``log_softmax`` would not be the fix.
    """

    code = "LL008"
    needs = (b"kl_div", b"KLDivLoss")

    def on_call(self, site: CallSite) -> None:
        call = loss_call(site)
        if call is None or call.function != "kl_div" or call.input is None:
            return
        tensors = call.input.value.tensors()
        if not tensors or not all(is_softmax_output(t) for t in tensors):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}; {call.display} expects "
            "its input as log-probabilities — use log_softmax instead of softmax",
            [t.origin for t in tensors],
        )
