"""What a walk over one body knows: the environment, the frame, and the analysis' bounds."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from losslint.analysis.events import (
    Caller,
)
from losslint.analysis.program import FunctionInfo
from losslint.analysis.values import (
    MAX_ALTERNATIVES,
    Value,
)

Env = dict[str, Value]


MAX_CALL_DEPTH = 5


CALL_BUDGET = 400


MAX_REEXPORT_HOPS = 6


MAX_IMPORT_DISTANCE = 2  # the linted file is 0, what it imports 1; farther stays unknown


MAX_CONTEXT_DEPTH = 3  # main -> train(model, criterion) -> step(...) -> ...


LOOP_ITERATIONS = 3


@dataclass(eq=False)
class Iteration:
    """One walk over a loop body: the loop, and the names rebound since the walk began."""

    loop: cst.CSTNode
    rebound: set[str] = field(default_factory=set)


@dataclass
class Frame:
    """What a walk over one body knows besides the environment."""

    function: FunctionInfo | None
    reporting: bool
    training_only: bool = False  # follow only the training branch of `if self.training`
    loop_depth: int = 0
    no_grad: bool = False
    returns: list[Value] = field(default_factory=list)
    loop_exits: list[Env] = field(default_factory=list)
    caller: Caller | None = None  # set in a pass whose parameters a call site bound
    call_depth: int = 0
    iterations: tuple[Iteration, ...] = ()  # the loops being walked, outermost first
    return_envs: list[Env] = field(default_factory=list)  # in a reporting walk
    keep_return_envs: bool = False  # ...and in a walk for what a method leaves on `self`


def join_envs(*envs: Env | None) -> Env | None:
    reachable = [env for env in envs if env is not None]
    if not reachable:
        return None
    if len(reachable) == 1:
        return reachable[0]
    # A name unbound on one path is an error there, so the other paths decide. Joined
    # path by path, in order; most names hold the very same value on every path.
    result: Env = dict(reachable[0])
    for env in reachable[1:]:
        for key, value in env.items():
            held = result.get(key)
            if held is None:
                result[key] = value
            elif held is not value or len(value.atoms) > MAX_ALTERNATIVES:
                result[key] = held.join(value)
    return result


def keeping(frame: Frame) -> Frame:
    """``frame`` for binding an accumulator: adding to it is no rebinding in a loop."""
    return replace(frame, iterations=())


def rebound_in(name: str, rebound: set[str]) -> bool:
    """Whether ``name`` (``self.history``) or an object it hangs off was rebound."""
    parts = name.split(".")
    return any(".".join(parts[: i + 1]) in rebound for i in range(len(parts)))
