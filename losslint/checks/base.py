"""What a rule is, and how it reports.

A rule looks at call sites (and accumulations) as the interpreter reports them,
asks the abstract values what flows in, and reports a finding at the node the
user must change, naming where the value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.classes import is_model
from losslint.analysis.events import Accumulation, Argument, Caller, CallSite, Context, ScopeEnd
from losslint.analysis.program import SourceFile
from losslint.analysis.values import (
    MIXTURE,
    BoundMethod,
    ImportRef,
    Kind,
    Origin,
    Tensor,
    Value,
    in_order,
)
from losslint.codefacts import CodeFacts
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
    # In passes whose parameters calls bound: those calls, and the message without them.
    callers: tuple[Caller, ...] = ()
    plain: str = ""


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
            return
        # Found again through another call: the message names every call that carries
        # the bad value (a plain finding, true whatever the call, stays as it is).
        for index, kept in enumerate(self.findings):
            if (kept.code, id(kept.node)) != key:
                continue
            new = [c for c in finding.callers if c not in kept.callers]
            if kept.callers and new:
                callers = (*kept.callers, *new)
                self.findings[index] = replace(
                    kept,
                    callers=callers,
                    message=called_at(kept.plain, callers),
                    origins=(*kept.origins, *(caller_origin(c) for c in new)),
                )
            return


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

    @classmethod
    def may_report_without_loss(cls, facts: CodeFacts) -> bool:
        """Whether, in a file that no loss reaches, the code holds a place where this rule
        could report.

        Such a file is walked without following calls or imports, so every value comes
        from its own code: a rule reports only where the names it needs are used as code
        (not in a comment or docstring). Rules that tell more from the syntax say so."""
        if not facts.mentions(cls.needs):
            return False
        return not cls.also_needs or facts.mentions(cls.also_needs)

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
        assumption = assumed_criterion(self.event)
        if assumption:
            message = f"{message} ({assumption})"
        caller = self.context.caller if self.context is not None else None
        finding = Finding(self.code, node, source, message, origins, fix, self.event)
        if caller is not None:
            finding = replace(
                finding,
                message=called_at(message, (caller,)),
                origins=(*origins, caller_origin(caller)),
                callers=(caller,),
                plain=message,
            )
        self.report.add(finding)


def assumed_criterion(event) -> str:
    """What a loss call's criterion was assumed to be, when nothing in sight bound it
    (the one loss its file builds: see analysis/candidates.py)."""
    if not isinstance(event, CallSite):
        return ""
    steps = {
        step
        for atom in event.callee
        for step in getattr(getattr(atom, "origin", None), "via", ())
        if step.startswith(_ASSUMING)
    }
    return steps.pop() if len(steps) == 1 else ""


def called_at(message: str, callers: tuple[Caller, ...]) -> str:
    """``message (in `fit()` as called at train.py:28 and train.py:33)``; a class's
    ``__init__`` reached by constructing it is ``as constructed at``."""
    by_function: dict[tuple[str, str], list[str]] = {}
    for caller in callers:
        where = caller.source.location(caller.node).short()
        places = by_function.setdefault((caller.function.qualname, _verb(caller)), [])
        if where not in places:
            places.append(where)
    parts = [
        f"in `{function}()` as {verb} at {' and '.join(places)}"
        for (function, verb), places in by_function.items()
    ]
    return f"{message} ({'; '.join(parts)})"


def _verb(caller: Caller) -> str:
    return "constructed" if caller.constructs else "called"


def caller_origin(caller: Caller) -> Origin:
    return Origin(caller.node, caller.source, f"`{caller.function.qualname}()` {_verb(caller)}")


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

    def wrong_in(self, function: str, tensor: Tensor) -> bool:
        """Whether ``tensor`` is wrong as the input of the loss ``function``; a rule about
        more than one loss says which tensors are wrong where."""
        return function == self.loss_function and self.wrong(tensor)

    def meant(self, call) -> bool:
        """Whether the call, wrong inputs and all, computes what its author meant (a
        :class:`~losslint.analysis.losscalls.LossCall`); such a call is not reported."""
        return False

    def remark(self, call) -> str:
        """Appended to the message: what else the call might mean ("" for nothing)."""
        return ""

    def on_call(self, site: CallSite) -> None:
        from losslint.analysis.losscalls import loss_call  # losscalls imports this module's peers

        call = loss_call(site)
        if call is None or call.input is None:
            return
        tensors = call.input.value.tensors()
        if (
            not tensors
            or not all(self.wrong_in(call.function, t) for t in tensors)
            or self.meant(call)
        ):
            return
        source = site.context.source
        self.flag(
            site.node,
            source,
            f"{name_of(call.input, source)} is {describe(tensors)}; {self.advice(call.display)}"
            f"{self.remark(call)}",
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
    steps = ", ".join(step for step in origin.via if not step.startswith(_ASSUMING))
    detail = f"{origin.what} at {where}" + (f", {steps}" if steps else "")
    more = f" and {len(tensors) - 1} other path(s)" if len(tensors) > 1 else ""
    # A model nobody in sight binds, taken to be the project's only one: say so.
    assumed = [step for step in origin.via if step.startswith(_ASSUMING)]
    return f"{first.kind.value} ({detail}{more})" + "".join(f" — {a}" for a in assumed[:1])


_ASSUMING = "assuming "


def is_softmax_output(tensor: Tensor) -> bool:
    """Probabilities normalised over a dim: ``softmax``, or ``exp`` of log-probabilities.

    Sigmoid outputs are probabilities too, but not a distribution over classes: rules
    whose fix is ``softmax`` -> ``log_softmax`` ask this, not ``kind is PROBS``.
    """
    return tensor.kind is Kind.PROBS and tensor.activation in ("softmax", "exp", MIXTURE)


def within(source: SourceFile, node: cst.CSTNode, scope: cst.CSTNode) -> bool:
    """Whether ``node`` lies inside ``scope``, both of ``source``. Costs the file's
    positions: ask only when about to decide a finding."""
    try:
        inner, outer = source.position(node), source.position(scope)
    except KeyError:
        return False
    return (outer.start.line, outer.start.column) <= (inner.start.line, inner.start.column) and (
        inner.end.line,
        inner.end.column,
    ) <= (outer.end.line, outer.end.column)


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


def runs_a_model(callee: Value) -> bool:
    """Whether calling ``callee`` runs a model: every alternative is a module (a user
    class with a ``forward``, a torch layer, activation or Sequential) or the ``forward``
    of one (``self.forward(x)``, ``model.forward(x)``)."""
    return bool(callee) and all(
        is_model(atom) or (isinstance(atom, BoundMethod) and atom.info.name == "forward")
        for atom in callee
    )


class ModelCalls:
    """The calls that run a model, as a rule sees them: their result is a tensor. A
    call's arguments are evaluated, and reported, before the call itself, so a rule
    asks about an argument's call after having seen it."""

    def __init__(self) -> None:
        self._nodes: set[cst.Call] = set()

    def note(self, site: CallSite) -> None:
        if runs_a_model(site.callee):
            self._nodes.add(site.node)

    def __contains__(self, node: object) -> bool:
        return node in self._nodes
