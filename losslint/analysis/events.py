"""What the interpreter tells the rules: calls, accumulations, and the end of each walk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import libcst as cst

from losslint.analysis.program import FunctionInfo, SourceFile
from losslint.analysis.values import (
    Value,
)


@dataclass(frozen=True)
class Argument:
    keyword: str | None
    value: Value
    node: cst.BaseExpression
    star: str = ""


@dataclass(frozen=True)
class Caller:
    """The call that bound a function's parameters in a contextual pass."""

    node: cst.Call
    source: SourceFile
    function: FunctionInfo
    constructs: bool = False  # the call builds an instance: `Trainer(model, crit)`
    args: tuple[Argument, ...] = ()  # what the call passes, as the caller saw it


@dataclass(frozen=True)
class Context:
    """Where an event happened."""

    source: SourceFile
    function: FunctionInfo | None
    loop_depth: int
    no_grad: bool
    caller: Caller | None = None
    loops: tuple[cst.CSTNode, ...] = ()  # the enclosing loops of this body, outermost first


@dataclass(frozen=True)
class CallSite:
    node: cst.Call
    callee: Value
    args: tuple[Argument, ...]
    context: Context

    def argument(self, position: int | None, keyword: str) -> Argument | None:
        """The argument bound to a parameter, by position or keyword."""
        positional = [arg for arg in self.args if arg.keyword is None and not arg.star]
        for arg in self.args:
            if arg.keyword == keyword:
                return arg
        if position is not None and position < len(positional):
            if any(arg.star for arg in self.args[: self.args.index(positional[position])]):
                return None
            return positional[position]
        return None


@dataclass(frozen=True)
class Accumulation:
    """``total += value``, ``total = total + value`` or ``history.append(value)``."""

    node: cst.CSTNode
    target: str
    value: Value
    value_node: cst.BaseExpression
    context: Context
    # The enclosing loops whose iterations the accumulator outlives: it was not rebound
    # earlier in the current iteration (``total = 0`` before the loop, not ``loss = ...``
    # earlier in the same step).
    carried_by: tuple[cst.CSTNode, ...] = ()


class ScopeResults(Protocol):
    """What the walks of a file left that is costly to know, computed on a rule's first
    question: what calling each scope's models returns, and which loss modules calls
    apply (calling the models may apply some, so the second waits for the first)."""

    def outputs(self, scope: int) -> dict[str, Value]: ...

    def applied(self) -> frozenset[cst.Call]: ...


@dataclass(frozen=True)
class ScopeEnd:
    """A reporting walk over a scope (the module, or one pass over a function) is over.

    Delivered once the whole file is analysed, so that rules can weigh what the walk
    left against every call made anywhere (``applied``).
    """

    context: Context
    env: dict[str, Value]  # the names as the walk left them, joined over its returns
    index: int  # which of the file's scope ends, for ``results``
    results: ScopeResults

    @property
    def outputs(self) -> dict[str, Value]:
        """For each name holding a model: what calling it returns."""
        return self.results.outputs(self.index)

    @property
    def applied(self) -> frozenset[cst.Call]:
        """The constructions of loss modules that some call applies."""
        return self.results.applied()


class Listener(Protocol):
    def on_call(self, site: CallSite) -> None: ...

    def on_accumulate(self, site: Accumulation) -> None: ...

    def on_scope_end(self, scope: ScopeEnd) -> None: ...
