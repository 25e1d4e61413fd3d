"""LL005 log-of-probabilities."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from losslint.analysis.arithmetic import complement
from losslint.analysis.events import Argument, CallSite
from losslint.analysis.values import (
    COMPLEMENT_OF_SIGMOID,
    MIXTURE,
    UNKNOWN,
    Constant,
    Kind,
    Method,
    Tensor,
    Value,
    join_all,
)
from losslint.checks.base import Check, describe, name_of, torch_callee, within
from losslint.codefacts import CodeFacts


class LogOfProbabilities(Check):
    """``torch.log(p)`` / ``p.log()`` where ``p`` is a softmax or sigmoid output, and
    ``torch.log(1 - p)`` / ``torch.log1p(-p)`` where ``p`` is a sigmoid output (in float32
    ``1 - sigmoid(z)`` is 0 from z ≈ 16.7: the form that gives -inf first).

    ``+ eps`` and ``clamp`` keep probabilities probabilities (the analysis knows), so
    ``torch.log(p + 1e-8)`` is reported too, with its own message: the epsilon hides the
    -inf, not the bias or the lost gradient. ``exp`` of log-probabilities counts as
    probabilities: its log is a round trip that underflows. Reported at the log,
    wherever its result goes (NLL, a hand-written cross-entropy, an entropy): the log
    is the line to change.
    """

    code = "LL005"
    needs = (b"log(", b"log1p(")
    # The probabilities are made in the same file: a log of a model imported from
    # another file that ends in a softmax is missed, for the sake of not parsing every
    # file with a `log(` in it.
    also_needs = (b"softmax", b"Softmax", b"sigmoid", b"Sigmoid", b"expit")

    @classmethod
    def may_report_without_loss(cls, facts: CodeFacts) -> bool:
        # `log(` in the bytes is often `math.log(` or `np.log(`, which take no tensor.
        return facts.may_call_torch_log() and facts.mentions(cls.also_needs)

    def on_call(self, site: CallSite) -> None:
        found = _logged(site)
        if found is None:
            return
        logged, value = found
        tensors = value.tensors()
        if not tensors or not all(t.kind is Kind.PROBS for t in tensors):
            return
        if any(t.activation == MIXTURE for t in tensors):
            return  # the log of a mixture (an average over models) has no log_softmax form
        if _probabilities_mode(site, tensors):
            return
        source = site.context.source
        if all(t.guard is not None for t in tensors):
            if site.context.no_grad or not any(t.has_graph for t in tensors):
                # Kept finite, and no gradient to lose: a metric, a matcher's cost.
                return
            kinds = {
                "the clamp" if isinstance(t.guard, cst.Call) else "the epsilon" for t in tensors
            }
            what = kinds.pop() if len(kinds) == 1 else "the epsilon or clamp"
            why = (
                f"{what} keeps it finite, but biases the loss, and where a probability "
                "saturates the gradient is lost"
            )
        elif all(t.activation == COMPLEMENT_OF_SIGMOID for t in tensors):
            why = "in float32 `1 - sigmoid(z)` is exactly 0 from z ≈ 16.7, and its log -inf"
        else:
            why = "it underflows to -inf when a probability rounds to 0"
        self.flag(
            site.node,
            source,
            f"{_log_name(site)} of {name_of(logged, source)}, {describe(tensors)}: {why} — "
            f"{_advice(tensors)}",
            [t.origin for t in tensors],
        )


def _logged(site: CallSite) -> tuple[Argument, Value] | None:
    """What ``torch.log(x)``, ``x.log()`` or ``torch.log1p(x)`` takes the log of (for
    ``log1p``: ``1 + x``), and its value; None for any other call."""
    name = torch_callee(site)
    if name in ("torch.log", "torch.log1p"):
        argument = site.argument(0, "input")
    else:
        methods = site.callee.all(Method)
        if not methods or site.args or not all(m.name in ("log", "log1p") for m in methods):
            return None
        name = f"torch.{methods[0].name}" if len({m.name for m in methods}) == 1 else None
        # The analysis makes one Method per alternative of the receiver: join them back.
        receiver = join_all(method.receiver for method in methods)
        argument = Argument(keyword=None, value=receiver, node=site.node.func.value)
    if argument is None or name is None:
        return None
    if name == "torch.log1p":
        return argument, complement(Value.of(Constant(1)), argument.value, cst.Add()) or UNKNOWN
    return argument, argument.value


def _log_name(site: CallSite) -> str:
    func = site.node.func
    name = func.attr.value if isinstance(func, cst.Attribute) else ""
    return "log1p" if name == "log1p" or torch_callee(site) == "torch.log1p" else "log"


def _probabilities_mode(site: CallSite, tensors: list[Tensor]) -> bool:
    """A function written to take probabilities, called with probabilities.

    In a pass whose parameters a call bound, the probabilities are what the caller
    passed, and the function itself clamps them, or adds an epsilon, before the log: it
    expects probabilities on purpose (smp's ``FocalLoss(from_logits=False)``, an
    ``input_is_normalized=True`` mode). The log cannot be changed where it is reported,
    and it cannot underflow: not a finding. Probabilities the function makes itself
    (calling a model it is given, say) are still reported.
    """
    context = site.context
    caller = context.caller
    if caller is None or context.function is None:
        return False
    passed = {
        replace(atom, guard=None)
        for arg in caller.args
        for atom in arg.value
        if isinstance(atom, Tensor)
    }
    function = context.function.node
    return all(
        t.guard is not None
        and replace(t, guard=None) in passed
        and within(context.source, t.guard, function)
        for t in tensors
    )


def _advice(tensors: list[Tensor]) -> str:
    activations = {t.activation for t in tensors}
    if activations == {COMPLEMENT_OF_SIGMOID}:
        return "use F.logsigmoid(-z) on the logits z: log(1 - sigmoid(z)) = logsigmoid(-z)"
    if activations == {"softmax"}:
        return "use log_softmax on the logits"
    if activations == {"sigmoid"}:
        return "use F.logsigmoid on the logits"
    if activations == {"exp"}:
        return "use the log-probabilities the exp was taken of"
    return "use log_softmax / F.logsigmoid on the logits"
