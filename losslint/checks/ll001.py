"""LL001 probabilities-into-cross-entropy."""

from __future__ import annotations

from losslint.analysis.values import LOG_SOFTMAX_OF_PROBS, Kind, Tensor
from losslint.checks.base import LossInputCheck


class ProbabilitiesIntoCrossEntropy(LossInputCheck):
    """Probabilities given to cross-entropy, which normalises them again: a double
    softmax. ``log_softmax`` of probabilities is the same mistake one step earlier, into
    ``cross_entropy`` or ``nll_loss``."""

    code = "LL001"
    needs = (b"cross_entropy", b"CrossEntropyLoss", b"nll_loss", b"NLLLoss")
    loss_function = "cross_entropy"

    def wrong(self, tensor: Tensor) -> bool:
        return tensor.kind is Kind.PROBS or tensor.activation == LOG_SOFTMAX_OF_PROBS

    def wrong_in(self, function: str, tensor: Tensor) -> bool:
        if function == "nll_loss":
            return tensor.activation == LOG_SOFTMAX_OF_PROBS
        return super().wrong_in(function, tensor)

    def advice(self, display: str) -> str:
        if "nll" in display.lower():
            return (
                f"{display} is given a double softmax — take log_softmax of the logits, "
                "not of probabilities"
            )
        return f"{display} applies log-softmax itself — pass the logits"
