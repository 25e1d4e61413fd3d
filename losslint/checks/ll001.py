"""LL001 probabilities-into-cross-entropy."""

from __future__ import annotations

from losslint.analysis.values import Kind, Tensor
from losslint.checks.base import LossInputCheck


class ProbabilitiesIntoCrossEntropy(LossInputCheck):
    code = "LL001"
    needs = (b"cross_entropy", b"CrossEntropyLoss")
    loss_function = "cross_entropy"

    def wrong(self, tensor: Tensor) -> bool:
        return tensor.kind is Kind.PROBS

    def advice(self, display: str) -> str:
        return f"{display} applies log-softmax itself — pass the logits"
