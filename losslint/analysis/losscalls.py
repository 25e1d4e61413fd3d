"""What a call site means when it computes a torch loss."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import Argument, CallSite
from losslint.analysis.syntax import call_argument
from losslint.analysis.values import Constant, ImportRef, LossModule


@dataclass(frozen=True)
class LossCall:
    """``F.cross_entropy(input, target)`` or ``criterion(input, target)``."""

    site: CallSite
    function: str  # "cross_entropy"
    display: str  # how the message names the loss: "CrossEntropyLoss" or "F.cross_entropy"
    input: Argument | None
    target: Argument | None
    modules: tuple[LossModule, ...]  # the criterion objects, when called as modules

    @property
    def node(self) -> cst.Call:
        return self.site.node

    @property
    def elementwise(self) -> bool:
        """Whether the loss is known to keep one value per element: ``reduction="none"``
        (or the legacy ``reduce=False``) written at the call or at every construction."""
        if self.modules:
            return all(_unreduced(module.call) for module in self.modules)
        reduction = self.site.argument(None, "reduction")
        if reduction is not None:
            return {c.value for c in reduction.value.all(Constant)} == {"none"}
        reduce = self.site.argument(None, "reduce")
        return reduce is not None and _is_false(reduce.node)


def loss_call(site: CallSite) -> LossCall | None:
    """The loss this call computes, when every alternative of the callee is the same loss."""
    functions: set[str] = set()
    modules: list[LossModule] = []
    display = ""
    for atom in site.callee:
        if isinstance(atom, LossModule):
            functions.add(atom.function)
            modules.append(atom)
            display = atom.class_name
        elif isinstance(atom, ImportRef):
            spec = torchapi.LOSS_FUNCTIONS.get(torchapi.canonical(atom.qualname))
            if spec is None:
                return None
            functions.add(spec.function)
            display = display or f"F.{spec.function}"
        else:
            return None
    if len(functions) != 1:
        return None
    return LossCall(
        site=site,
        function=functions.pop(),
        display=display,
        input=site.argument(0, "input"),
        target=site.argument(1, "target"),
        modules=tuple(modules),
    )


def _unreduced(construction: cst.Call) -> bool:
    """``nn.NLLLoss(reduction="none")`` / ``nn.NLLLoss(reduce=False)``, by keyword."""
    reduction = call_argument(construction, 99, "reduction")
    if isinstance(reduction, cst.SimpleString):
        return reduction.evaluated_value == "none"
    reduce = call_argument(construction, 99, "reduce")
    return reduce is not None and _is_false(reduce)


def _is_false(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"
