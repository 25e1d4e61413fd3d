"""What a rule is, and how it reports.

A rule looks at call sites (and accumulations) as the interpreter reports them,
asks the abstract values what flows in, and reports a finding at the node the
user must change, naming where the value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import Accumulation, Argument, CallSite, Context, ScopeEnd
from losslint.analysis.program import SourceFile
from losslint.analysis.values import MIXTURE, ImportRef, Kind, Origin, Tensor, in_order
from losslint.diagnostics import Fix


@dataclass(frozen=True)
class Finding:
    code: str
    node: cst.CSTNode
    source: SourceFile
    message: str
    origins: tuple[Origin, ...] = ()
    fix: Fix | None = None
    # The event the rule was looking at (the loss call site, say), for fix builders.
    event: CallSite | Accumulation | ScopeEnd | None = None


@dataclass
class Report:
    """Collects findings, one per code and node, whatever the number of passes."""

    findings: list[Finding] = field(default_factory=list)
    _seen: set[tuple[str, int]] = field(default_factory=set)

    def add(self, finding: Finding) -> None:
        key = (finding.code, id(finding.node))
        if key not in self._seen:
            self._seen.add(key)
            self.findings.append(finding)


class Check:
    """A rule. Subclasses set ``code`` and ``needs`` and override the hooks they use."""

    code: ClassVar[str]
    # The file can only produce this rule's finding if it contains one of these.
    needs: ClassVar[tuple[bytes, ...]] = ()
    # ...and, when set, one of these too (``log(`` is everywhere; a log of
    # probabilities also needs an activation).
    also_needs: ClassVar[tuple[bytes, ...]] = ()

    @classmethod
    def may_apply(cls, data: bytes) -> bool:
        """Whether a file with these bytes could hold this rule's finding."""
        if not any(pattern in data for pattern in cls.needs):
            return False
        return not cls.also_needs or any(pattern in data for pattern in cls.also_needs)

    def __init__(self, report: Report) -> None:
        self.report = report
        # The context of the event being checked; set by the linter before each hook.
        self.context: Context | None = None
        # The event itself (a CallSite, an Accumulation, a ScopeEnd); set alongside.
        self.event: CallSite | Accumulation | ScopeEnd | None = None

    def on_call(self, site: CallSite) -> None:
        pass

    def on_accumulate(self, site: Accumulation) -> None:
        pass

    def on_scope_end(self, scope: ScopeEnd) -> None:
        """After the whole file: a scope as its walk left it (see ``ScopeEnd``)."""

    def flag(
        self, node: cst.CSTNode, source: SourceFile, message: str, origins=(), fix=None
    ) -> None:
        """Report at ``node``. In a pass whose parameters a call bound, say which call."""
        origins = tuple(origins)
        caller = self.context.caller if self.context is not None else None
        if caller is not None:
            where = caller.source.location(caller.node).short()
            message = f"{message} (in `{caller.function.qualname}()` as called at {where})"
            what = f"`{caller.function.qualname}()` called"
            origins = (*origins, Origin(caller.node, caller.source, what))
        self.report.add(Finding(self.code, node, source, message, origins, fix, self.event))


class LossInputCheck(Check):
    """A rule about what one loss's *input* holds (LL001, LL002, LL004, LL008).

    Subclasses name the loss, say which tensors are wrong there, and what to do; the
    rule flags the loss call when every alternative of the input is wrong.
    """

    loss_function: ClassVar[str]  # "cross_entropy"

    def wrong(self, tensor: Tensor) -> bool:
        raise NotImplementedError

    def advice(self, display: str) -> str:
        """The end of the message: ``CrossEntropyLoss applies log-softmax itself — ...``."""
        raise NotImplementedError

    def on_call(self, site: CallSite) -> None:
        from losslint.analysis.losscalls import loss_call  # losscalls imports this module's peers

        call = loss_call(site)
        if call is None or call.function != self.loss_function or call.input is None:
            return
        tensors = call.input.value.tensors()
        if not tensors or not all(self.wrong(t) for t in tensors):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}; {self.advice(call.display)}",
            [t.origin for t in tensors],
        )


def name_of(argument: Argument, source: SourceFile) -> str:
    """How a message names an argument: its code when short, else 'the input'."""
    text = source.code(argument.node).strip()
    if "\n" in text or len(text) > 40:
        return "the input"
    return f"`{text}`"


def describe(tensors: list[Tensor]) -> str:
    """``probabilities (softmax at model.py:31, returned by Net.forward)``."""
    tensors = in_order(tensors)
    first = tensors[0]
    origin = first.origin
    where = origin.source.location(origin.node).short()
    steps = ", ".join(origin.via)
    detail = f"{origin.what} at {where}" + (f", {steps}" if steps else "")
    more = f" and {len(tensors) - 1} other path(s)" if len(tensors) > 1 else ""
    return f"{first.kind.value} ({detail}{more})"


def is_softmax_output(tensor: Tensor) -> bool:
    """Probabilities normalised over a dim: ``softmax``, or ``exp`` of log-probabilities.

    Sigmoid outputs are probabilities too, but not a distribution over classes: rules
    whose fix is ``softmax`` -> ``log_softmax`` ask this, not ``kind is PROBS``.
    """
    return tensor.kind is Kind.PROBS and tensor.activation in ("softmax", "exp", MIXTURE)


def torch_callee(site: CallSite) -> str | None:
    """The canonical torch name (``torch.nn.KLDivLoss``) every alternative of the callee
    resolves to; None when the callee is not torch's or its alternatives disagree."""
    names = {
        torchapi.canonical(atom.qualname) if isinstance(atom, ImportRef) else None
        for atom in site.callee
    }
    if len(names) != 1:
        return None
    name = names.pop()
    return name if name is not None and torchapi.is_torch(name) else None
