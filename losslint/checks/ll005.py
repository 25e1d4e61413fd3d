"""LL005 log-of-probabilities."""

from __future__ import annotations

from losslint.analysis.events import Argument, CallSite
from losslint.analysis.values import MIXTURE, Kind, Method, Tensor, join_all
from losslint.checks.base import Check, describe, name_of, torch_callee


class LogOfProbabilities(Check):
    """``torch.log(p)`` / ``p.log()`` where ``p`` is a softmax or sigmoid output.

    ``+ eps`` and ``clamp`` keep probabilities probabilities (the analysis knows), so
    ``torch.log(p + 1e-8)`` is reported too: the epsilon hides the -inf, not the lost
    precision. ``exp`` of log-probabilities counts as probabilities: its log is a round
    trip that underflows. Reported at the log, wherever its result goes (NLL, a
    hand-written cross-entropy, an entropy): the log is the line to change.
    """

    code = "LL005"
    needs = (b"log(",)
    # The probabilities are made in the same file: a log of a model imported from
    # another file that ends in a softmax is missed, for the sake of not parsing every
    # file with a `log(` in it.
    also_needs = (b"softmax", b"Softmax", b"sigmoid", b"Sigmoid", b"expit", b"exp(")
    also_needs = (b"softmax", b"Softmax", b"sigmoid", b"Sigmoid", b"expit")

    def on_call(self, site: CallSite) -> None:
        logged = _logged(site)
        if logged is None:
            return
        tensors = logged.value.tensors()
        if not tensors or not all(t.kind is Kind.PROBS for t in tensors):
            return
        if any(t.activation == MIXTURE for t in tensors):
            return  # the log of a mixture (an average over models) has no log_softmax form
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"log of {name_of(logged, source)}, {describe(tensors)}: it underflows to -inf "
            f"when a probability rounds to 0 — {_advice(tensors)}",
            [t.origin for t in tensors],
        )


def _logged(site: CallSite) -> Argument | None:
    """What ``torch.log(x)`` or ``x.log()`` takes the log of; None for any other call."""
    if torch_callee(site) == "torch.log":
        return site.argument(0, "input")
    methods = site.callee.all(Method)
    if not methods or site.args or not all(method.name == "log" for method in methods):
        return None
    # The analysis makes one Method per alternative of the receiver: join them back.
    receiver = join_all(method.receiver for method in methods)
    return Argument(keyword=None, value=receiver, node=site.node.func.value)


def _advice(tensors: list[Tensor]) -> str:
    activations = {t.activation for t in tensors}
    if activations == {"softmax"}:
        return "use log_softmax on the logits"
    if activations == {"sigmoid"}:
        return "use F.logsigmoid on the logits"
    if activations == {"exp"}:
        return "use the log-probabilities the exp was taken of"
    return "use log_softmax / F.logsigmoid on the logits"
