"""LL006 sigmoid-then-bce."""

from __future__ import annotations

from losslint.analysis.events import CallSite
from losslint.analysis.losscalls import loss_call
from losslint.analysis.values import Kind, Tensor
from losslint.checks.base import Check, describe, name_of


class SigmoidThenBCE(Check):
    """A sigmoid output given to ``BCELoss`` / ``F.binary_cross_entropy``.

    The objective is right; computing it from probabilities is not: the log of the
    sigmoid is taken after rounding. Softmax outputs into BCE are not reported (a
    different question: is BCE the right loss at all).
    """

    code = "LL006"
    needs = (b"binary_cross_entropy", b"BCELoss")

    def on_call(self, site: CallSite) -> None:
        call = loss_call(site)
        if call is None or call.function != "binary_cross_entropy" or call.input is None:
            return
        tensors = call.input.value.tensors()
        if not tensors or not all(_is_sigmoid(t) for t in tensors):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}; {call.display} on a "
            "sigmoid output is unstable and refused under CUDA autocast — use "
            "BCEWithLogitsLoss on the logits",
            [t.origin for t in tensors],
        )


def _is_sigmoid(tensor: Tensor) -> bool:
    return tensor.kind is Kind.PROBS and tensor.activation == "sigmoid"
