"""LL002 probabilities-into-bce-with-logits."""

from __future__ import annotations

from losslint.analysis.values import Kind, Tensor
from losslint.checks.base import LossInputCheck


class ProbabilitiesIntoBCEWithLogits(LossInputCheck):
    code = "LL002"
    needs = (b"binary_cross_entropy_with_logits", b"BCEWithLogitsLoss")
    loss_function = "binary_cross_entropy_with_logits"

    def wrong(self, tensor: Tensor) -> bool:
        return tensor.kind is Kind.PROBS

    def advice(self, display: str) -> str:
        return f"{display} applies sigmoid itself — pass the logits"
