"""LL015 input-and-target-swapped."""

from __future__ import annotations

from losslint.analysis import torchapi
from losslint.analysis.events import Argument, CallSite
from losslint.analysis.losscalls import loss_call
from losslint.analysis.values import Kind, Tensor
from losslint.checks.base import Check, ModelCalls, describe, name_of
from losslint.codefacts import CodeFacts

# Losses whose two arguments are not interchangeable: (prediction, target). Not the
# regression losses (MSE, L1, Huber are symmetric: the order changes nothing), nor
# KL divergence (its target is often another model's output: distillation).
_ORDERED = frozenset(
    {"cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"}
)
_ORDERED_NAMES = tuple(
    name.encode()
    for spec in torchapi.LOSSES
    if spec.function in _ORDERED
    for name in (spec.function, spec.class_name)
)
# What only a target is: class indices, one-hot labels, the labels of a batch.
_TARGETS = frozenset({Kind.CLASS_INDEX, Kind.ONE_HOT, Kind.BATCH_LABELS})
# What a model predicts.
_PREDICTIONS = frozenset({Kind.LOGITS, Kind.PROBS, Kind.LOG_PROBS})


class InputAndTargetSwapped(Check):
    """``criterion(labels, outputs)``: the target first, the model's prediction second.

    Both sides need evidence: the first argument is a target by what it is (class
    indices, one-hot, the labels element of a batch from a data loader), never by its
    name; the second is a model's output (logits or probabilities the analysis made,
    or the result of calling a model).
    """

    code = "LL015"
    needs = (b"cross_entropy", b"CrossEntropyLoss", b"nll_loss", b"NLLLoss", b"BCE", b"binary_")

    @classmethod
    def may_report_without_loss(cls, facts: CodeFacts) -> bool:
        return facts.mentions(_ORDERED_NAMES)  # `BCE` and `binary_` alone name no loss

    def __init__(self, report) -> None:
        super().__init__(report)
        self._model_calls = ModelCalls()

    def on_call(self, site: CallSite) -> None:
        self._model_calls.note(site)
        call = loss_call(site)
        if call is None or call.function not in _ORDERED:
            return
        first, second = call.input, call.target
        if first is None or second is None or first.keyword or second.keyword:
            return
        targets = first.value.tensors()
        if not targets or not all(t.kind in _TARGETS for t in targets):
            return
        predictions = _predictions(second)
        if predictions is None and second.node not in self._model_calls:
            return
        source = site.context.source
        made = f", {describe(predictions)}" if predictions else ""
        self.flag(
            site.node,
            source,
            f"{name_of(first, source)} is {describe(targets)} and {name_of(second, source)} "
            f"the model's prediction{made}: {call.display} takes the prediction first and "
            f"the target second — swap the arguments",
            [t.origin for t in targets],
        )


def _predictions(argument: Argument) -> list[Tensor] | None:
    tensors = argument.value.tensors()
    if tensors and all(t.kind in _PREDICTIONS for t in tensors):
        return tensors
    return None
