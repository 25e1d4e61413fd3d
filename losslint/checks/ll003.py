"""LL003 regression-loss-on-classification."""

from __future__ import annotations

from losslint.analysis import torchapi
from losslint.analysis.events import CallSite
from losslint.analysis.losscalls import loss_call
from losslint.analysis.values import Kind, Tensor
from losslint.checks.base import Check, describe, name_of

_CLASS_TARGETS = (Kind.ONE_HOT, Kind.CLASS_INDEX)


class RegressionLossOnClassification(Check):
    code = "LL003"
    needs = (
        b"mse_loss",
        b"MSELoss",
        b"l1_loss",
        b"L1Loss",
        b"huber_loss",
        b"HuberLoss",
        b"smooth_l1_loss",
        b"SmoothL1Loss",
    )

    def on_call(self, site: CallSite) -> None:
        call = loss_call(site)
        if call is None or call.function not in torchapi.REGRESSION_LOSSES:
            return
        source = site.context.source
        advice = "for classification use CrossEntropyLoss on the logits"
        targets = call.target.value.tensors() if call.target is not None else []
        if targets and all(t.kind in _CLASS_TARGETS for t in targets):
            self.flag(
                site.node,
                source,
                f"the target {name_of(call.target, source)} is {describe(targets)}; "
                f"{call.display} treats class labels as numbers to regress — {advice}",
                [t.origin for t in targets],
            )
            return
        inputs = call.input.value.tensors() if call.input is not None else []
        if not inputs or not all(_is_softmax(t) for t in inputs):
            return
        # Matching two distributions (consistency losses, Mean Teacher) is legitimate.
        if targets and all(t.kind in (Kind.PROBS, Kind.LOG_PROBS) for t in targets):
            return
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(inputs)}; {call.display} on class "
            f"probabilities gives weak, vanishing gradients — {advice}",
            [t.origin for t in inputs],
        )


def _is_softmax(tensor: Tensor) -> bool:
    return tensor.kind is Kind.PROBS and tensor.activation in ("softmax", "exp")
