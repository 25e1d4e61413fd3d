"""LL012 model-criterion-mismatch."""

from __future__ import annotations

import libcst as cst

from losslint.analysis.events import CallSite, ScopeEnd
from losslint.analysis.program import FunctionInfo
from losslint.analysis.values import (
    Instance,
    Kind,
    LayerModule,
    LossModule,
    SequentialModule,
    Tensor,
    Value,
)
from losslint.checks.base import Check, describe, torch_callee

# Criteria that apply their own activation, and what it is.
_LOGITS_CRITERIA = {
    "torch.nn.CrossEntropyLoss": "log-softmax",
    "torch.nn.BCEWithLogitsLoss": "sigmoid",
}

Scope = FunctionInfo | None  # None: the module


class ModelCriterionMismatch(Check):
    """A model returning probabilities, built next to a criterion that expects logits,
    where no visible call applies the criterion (snippets, trainers that call it).

    When any call in the file applies the criterion, LL001/LL002 judge that call and
    this rule is silent. Otherwise it reports only when the probability model is the
    one the criterion goes with: a call hands the two over together
    (``Trainer(model, criterion)``), or it is the only model the scope shows. Another
    model in the scope — bound to a name, or passed to some call — silences it unless
    a hand-over names the probability model alone, with nothing unknown beside it.
    """

    code = "LL012"
    needs = (b"CrossEntropyLoss", b"BCEWithLogitsLoss")

    def __init__(self, report) -> None:
        super().__init__(report)
        self._criteria: dict[Scope, set[cst.Call]] = {}  # constructions, per scope
        self._hand_overs: dict[Scope, list[tuple[Value, ...]]] = {}  # calls taking a loss
        self._passed: dict[Scope, list[Value]] = {}  # models given to non-torch calls

    def on_call(self, site: CallSite) -> None:
        scope = site.context.function
        name = torch_callee(site)
        if name in _LOGITS_CRITERIA:
            self._criteria.setdefault(scope, set()).add(site.node)
            return
        values = tuple(arg.value for arg in site.args)
        if any(isinstance(atom, LossModule) for value in values for atom in value):
            self._hand_overs.setdefault(scope, []).append(values)
        if name is None:  # `nn.Sequential(nn.Linear(...))` hands no model to anyone
            self._passed.setdefault(scope, []).extend(v for v in values if _is_model(v))

    def on_scope_end(self, scope: ScopeEnd) -> None:
        key = scope.context.function
        built = self._criteria.get(key, set())
        if not built:
            return
        probability_models: dict[Value, tuple[str, list[Tensor]]] = {}
        others: set[Value] = set()
        for name, output in sorted(scope.outputs.items()):
            value = scope.env[name]
            if not _is_model(value):
                continue
            tensors = output.tensors()
            if tensors and all(t.kind is Kind.PROBS for t in tensors):
                probability_models.setdefault(value, (name, tensors))
            else:
                others.add(value)
        if not probability_models:
            return
        others.update(v for v in self._passed.get(key, []) if v not in probability_models)
        hand_overs = self._hand_overs.get(key, [])
        for criterion, label in self._criteria_of(scope, built, hand_overs):
            if criterion.call in scope.applied:
                continue
            model = _model_of(criterion, hand_overs, probability_models, others)
            if model is not None:
                name, tensors = probability_models[model]
                self._report(criterion, label, name, tensors, scope)

    def _criteria_of(self, scope: ScopeEnd, built: set[cst.Call], hand_overs):
        """The logits criteria constructed in the scope, each with how to name it: by
        the name holding it, else as written (``nn.CrossEntropyLoss()`` passed inline)."""
        found: dict[LossModule, str] = {}
        for name, value in sorted(scope.env.items()):
            criteria = value.all(LossModule)
            if len(criteria) == 1 and criteria[0].call in built:
                found.setdefault(criteria[0], f"`{name}` ({criteria[0].class_name})")
        for values in hand_overs:
            for value in values:
                for atom in value.all(LossModule):
                    if atom.call in built and atom not in found:
                        found[atom] = f"`{atom.origin.source.code(atom.call).strip()}`"
        return sorted(found.items(), key=lambda item: item[1])

    def _report(self, criterion: LossModule, label: str, model: str, tensors, scope) -> None:
        self.context, self.event = scope.context, scope
        activation = _LOGITS_CRITERIA["torch.nn." + criterion.class_name]
        self.flag(
            criterion.call,
            criterion.origin.source,
            f"{label} applies {activation} itself, but `{model}`, built with it, returns "
            f"{describe(tensors)}; whatever applies it to `{model}`'s output takes the "
            f"{activation} of probabilities — make `{model}` return the logits",
            [t.origin for t in tensors],
        )


def _model_of(
    criterion: LossModule,
    hand_overs: list[tuple[Value, ...]],
    probability_models: dict[Value, tuple[str, list[Tensor]]],
    others: set[Value],
) -> Value | None:
    """The probability model this criterion goes with, when the scope says so."""
    linked: set[Value] = set()
    for values in hand_overs:
        if not any(criterion in value for value in values):
            continue
        for value in values:
            if value in others or (_is_model(value) and value not in probability_models):
                return None  # handed over with another model
            if value.is_unknown and others:
                return None  # beside something that may be the other model
            if value in probability_models:
                linked.add(value)
    if linked:
        return linked.pop() if len(linked) == 1 else None
    if len(probability_models) == 1 and not others:
        return next(iter(probability_models))
    return None


def _is_model(value: Value) -> bool:
    """A network, not a bare activation: a user module with ``forward``, a torch layer."""

    def one(atom) -> bool:
        if isinstance(atom, Instance):
            return atom.info.find_method("forward") is not None
        return isinstance(atom, (LayerModule, SequentialModule))

    return bool(value) and all(one(atom) for atom in value)
