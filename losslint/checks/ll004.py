"""LL004 probabilities-into-nll."""

from __future__ import annotations

from losslint.analysis.values import Tensor
from losslint.checks.base import LossInputCheck, is_softmax_output


class ProbabilitiesIntoNLL(LossInputCheck):
    """Softmax probabilities (or ``exp`` of log-probabilities) given to ``NLLLoss``.

    Sigmoid outputs are deliberately not reported: they are not a distribution over
    classes, so the ``softmax`` -> ``log_softmax`` fix does not apply to them.
    ``torch.log(probs)`` is log-probabilities as far as NLL is concerned: LL005 says
    how to compute it stably.
    """

    code = "LL004"
    needs = (b"nll_loss", b"NLLLoss")
    loss_function = "nll_loss"

    def wrong(self, tensor: Tensor) -> bool:
        return is_softmax_output(tensor)

    def advice(self, display: str) -> str:
        return f"{display} expects log-probabilities — use log_softmax instead of softmax"
