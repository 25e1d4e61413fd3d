"""LL004 probabilities-into-nll."""

from __future__ import annotations

from losslint.analysis.losscalls import LossCall
from losslint.analysis.syntax import negated
from losslint.analysis.values import Tensor
from losslint.checks.base import LossInputCheck, is_softmax_output


class ProbabilitiesIntoNLL(LossInputCheck):
    """Softmax probabilities (or ``exp`` of log-probabilities) given to ``NLLLoss``.

    Sigmoid outputs are deliberately not reported: they are not a distribution over
    classes, so the ``softmax`` -> ``log_softmax`` fix does not apply to them.
    ``torch.log(probs)`` is log-probabilities as far as NLL is concerned: LL005 says
    how to compute it stably.

    ``-F.nll_loss(probs, y, reduction="none")`` is ``probs[i, y_i]`` for every sample: a
    gather of the probabilities, and nothing to report. Negated but reduced, it may be a
    log-likelihood whose log is missing (REINFORCE) or a mean target probability: it is
    reported, and its fix is unsafe (:func:`is_negated`).
    """

    code = "LL004"
    needs = (b"nll_loss", b"NLLLoss")
    loss_function = "nll_loss"

    def wrong(self, tensor: Tensor) -> bool:
        return is_softmax_output(tensor)

    def meant(self, call: LossCall) -> bool:
        return call.elementwise and is_negated(call)

    def remark(self, call: LossCall) -> str:
        if not is_negated(call):
            return ""
        return (
            " (as written, `-nll_loss` of probabilities is the targets' mean probability, "
            "not their log-likelihood)"
        )

    def advice(self, display: str) -> str:
        return f"{display} expects log-probabilities — use log_softmax instead of softmax"


def is_negated(call: LossCall) -> bool:
    """``-F.nll_loss(...)``: the loss's value is read with its sign flipped."""
    context = call.site.context
    scope = context.function.node if context.function is not None else context.source.module
    return negated(call.node, scope)
