"""LL011 module-called-with-data."""

from __future__ import annotations

import ast

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import Accumulation, Argument, CallSite
from losslint.analysis.program import SourceFile
from losslint.analysis.values import Constant, LossModule, Method, Value, join_all
from losslint.checks.base import Check, ModelCalls, torch_callee
from losslint.codefacts import CodeFacts

# Loss classes whose first parameter is ``weight``: a tensor there is legitimate.
_WEIGHT_FIRST = frozenset({"CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss"})
# The function each activation class stands for, as the fix names it.
_FUNCTIONS = {  # the function each activation class stands for
    "Sigmoid": "torch.sigmoid(x)",
    "LogSigmoid": "F.logsigmoid(x)",
    "Softmax2d": "torch.softmax(x, dim=-3)",
    "Softmax": "torch.softmax(x, dim=...)",
    "LogSoftmax": "torch.log_softmax(x, dim=...)",
}
# What a program does with a loss tensor, and never with a loss module.
_LOSS_USES = frozenset({"backward", "item"})
_DIM_ONLY = frozenset({"Softmax", "LogSoftmax"})  # the others take no argument at all
# Methods people call on tensors and on nothing a constructor takes: `y.long()`.
_TENSOR_METHODS = frozenset(
    {
        "view",
        "reshape",
        "squeeze",
        "unsqueeze",
        "flatten",
        "permute",
        "transpose",
        "contiguous",
        "long",
        "argmax",
    }
)


class ModuleCalledWithData(Check):
    """A loss or activation *class* given the tensors its instance should be called on.

    Constructor arguments are legitimate and common (``nn.CrossEntropyLoss(weight)``,
    ``nn.Softmax(1)``, the legacy ``nn.NLLLoss(weight, size_average)`` with variables),
    so an argument counts as data only on evidence: a tensor the analysis made (a
    model, layer or activation output), the result of calling a model, or a
    tensor-only method (``y.long()``). What no constructor accepts is reported as is:
    ``input=`` / ``target=``, arguments to ``nn.Sigmoid``, two for ``nn.Softmax``.
    """

    code = "LL011"
    needs = (b"Loss(", b"Sigmoid(", b"Softmax(")

    @classmethod
    def may_report_without_loss(cls, facts: CodeFacts) -> bool:
        if facts.mentions(_LOSS_CLASS_NAMES):
            return True
        calls = facts.calls_of(frozenset(_FUNCTIONS))
        return calls is None or any(_may_take_data(call) for call in calls)

    def __init__(self, report) -> None:
        super().__init__(report)
        self._model_calls = ModelCalls()

    def on_call(self, site: CallSite) -> None:
        self._model_calls.note(site)
        methods = site.callee.all(Method)
        if methods and all(method.name in _LOSS_USES for method in methods):
            # `loss.backward()`, `loss.item()` of what a loss class constructed: used as
            # the loss it was meant to compute.
            self._used_as_loss(join_all(method.receiver for method in methods))
        name = torch_callee(site)
        if name is None or any(arg.star for arg in site.args):
            return
        short = name.rsplit(".", 1)[-1]
        if name in torchapi.LOSS_CLASSES:
            what = self._loss_data(site, short)
            activation = ""
        elif name in torchapi.ACTIVATION_CLASSES and short in _FUNCTIONS:
            what = self._activation_data(site, short)
            activation = short
        else:
            return
        if what is not None:
            self._report(site.node, site.context.source, what, activation)

    def _report(self, node: cst.Call, source: SourceFile, what: str, activation: str) -> None:
        """Report a construction; ``activation`` is the activation class's name ("" for a
        loss class)."""
        written = source.code(node.func).strip()
        if activation:
            fix = f"apply the function: `{_FUNCTIONS[activation]}`"
        else:
            arguments = ", ".join(
                source.code(arg.value).strip()
                if arg.keyword is None
                else f"{arg.keyword.value}={source.code(arg.value).strip()}"
                for arg in node.args
            )
            fix = f"construct it, then call it: `{written}()({arguments})`"
        self.flag(
            node,
            source,
            f"`{written}` is a class: this constructs a module {what} instead of "
            f"computing anything — {fix}",
        )

    def on_accumulate(self, site: Accumulation) -> None:
        self._used_as_loss(site.value)  # `total += nn.MSELoss(pred, y)`

    def _used_as_loss(self, value: Value) -> None:
        """Report every construction in ``value`` given positional arguments: what the
        program then does with it shows they were the data, whatever they are."""
        modules = value.all(LossModule)
        for module in modules:
            call = module.call
            positional = [arg for arg in call.args if arg.keyword is None]
            if not positional or any(arg.star for arg in call.args):
                return
        for module in modules:
            self._report(module.call, module.origin.source, "with the tensors as its options", "")

    def _loss_data(self, site: CallSite, short: str) -> str | None:
        if any(arg.keyword in ("input", "target") for arg in site.args):
            return "(and takes no input= or target=: a TypeError)"
        positional = [arg for arg in site.args if arg.keyword is None]
        # One positional argument is `weight` (or a legacy flag); a literal second one is
        # a legacy flag. Beyond that, data only on evidence.
        if len(positional) < 2 or _is_literal(positional[1]):
            return None
        for index, arg in enumerate(positional):
            weight = index == 0 and short in _WEIGHT_FIRST
            if arg.value.tensors() or (not weight and self._is_data(arg)):
                return "with the tensors as its options"
        return None

    def _activation_data(self, site: CallSite, short: str) -> str | None:
        if any(arg.keyword == "input" for arg in site.args):
            return "(and takes no input=: a TypeError)"
        positional = [arg for arg in site.args if arg.keyword is None]
        if not positional:
            return None
        if short not in _DIM_ONLY:
            return "(and takes no arguments: a TypeError)"
        if len(positional) > 1 or site.argument(None, "dim") is not None:
            return "(and takes only dim: a TypeError)"
        if positional[0].value.tensors() or self._is_data(positional[0]):
            return "whose dim is the tensor"
        return None

    def _is_data(self, arg: Argument) -> bool:
        """A tensor by evidence other than its value: a model's output, `y.long()`."""
        node = arg.node
        if node in self._model_calls:
            return True
        return (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in _TENSOR_METHODS
        )


_LOSS_CLASS_NAMES = tuple(name.rsplit(".", 1)[-1].encode() for name in torchapi.LOSS_CLASSES)


def _may_take_data(call: ast.Call) -> bool:
    """Whether a call of an activation class could be one this rule reports: given what
    the class does not take (``input=``, arguments to ``nn.Sigmoid``, a second one), or
    a first argument that is not a literal dim."""
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        return False
    keywords = {keyword.arg for keyword in call.keywords}
    if None in keywords:  # **kwargs
        return False
    if "input" in keywords:
        return True
    if not call.args:
        return False
    name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
    if name not in _DIM_ONLY or len(call.args) > 1 or "dim" in keywords:
        return True
    first = call.args[0]
    if isinstance(first, ast.UnaryOp):
        first = first.operand
    return not isinstance(first, ast.Constant)


def _is_literal(arg: Argument) -> bool:
    node = arg.node
    if isinstance(node, cst.UnaryOperation):
        node = node.expression
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString)):
        return True
    return bool(arg.value.all(Constant))
