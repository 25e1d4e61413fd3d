"""The abstract interpreter: what each expression of a file holds, statement by statement.

It walks a module body and then every function body once, in statement order,
keeping an environment from names (and dotted names such as ``self.head``) to
:class:`~losslint.analysis.values.Value`. Reassignment replaces a value, branches join,
loops run to a fixpoint before they are reported on. Calls into user functions,
methods and ``forward`` are followed to their return values (memoised per
argument values). Whenever a reporting pass evaluates a call or an accumulation,
it tells its :class:`~losslint.analysis.events.Listener` — that is all the rules ever see.

The interpreter is one class assembled from one mixin per concern: statements,
expressions, calls and parameter binding, classes and attributes, torch's API, and
arithmetic. This module holds the driver: the walks over a file and its functions.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.arithmetic import Arithmetic, KeptFacts
from losslint.analysis.calls import (
    Calls,
    any_call,
    through,
)
from losslint.analysis.candidates import Candidates
from losslint.analysis.classes import (
    Classes,
    is_model,
)
from losslint.analysis.conditions import Conditions
from losslint.analysis.containers import Containers
from losslint.analysis.events import (
    Caller,
    Context,
    Listener,
    ScopeEnd,
)
from losslint.analysis.expressions import Expressions
from losslint.analysis.frames import (
    CALL_BUDGET,
    MAX_IMPORT_DISTANCE,
    MAX_REEXPORT_HOPS,
    Env,
    Frame,
    join_envs,
)
from losslint.analysis.program import FunctionInfo, SourceFile
from losslint.analysis.project import Project, star_origin
from losslint.analysis.registries import Registries
from losslint.analysis.statements import Statements
from losslint.analysis.syntax import (
    body_of,
    names_in,
)
from losslint.analysis.torch_calls import TorchCalls, TorchValues
from losslint.analysis.values import (
    UNKNOWN,
    Atom,
    BoundMethod,
    FunctionRef,
    ImportRef,
    Instance,
    LossModule,
    Value,
    some_instance,
)

_BUILTINS = frozenset(dir(builtins))

# Module-level calls whose globals are compared with the final ones (a model zoo's
# file makes hundreds of `_cfg(...)` calls at module level).
MAX_MODULE_CALLS = 64

_TORCH_IMPORT = re.compile(rb"^[ \t]*(?:import|from)[ \t]+torch\b", re.MULTILINE)


class Interpreter(
    Statements,
    Expressions,
    Conditions,
    Calls,
    Classes,
    Registries,
    Containers,
    TorchCalls,
    TorchValues,
    Arithmetic,
    KeptFacts,
    Candidates,
):
    def __init__(
        self,
        source: SourceFile,
        listener: Listener | None,
        raw: bytes | str = b"",
        project: Project | None = None,
        shallow: bool = False,
    ) -> None:
        self.source = source
        self.listener = listener
        self.project = project
        # Walk without following calls into functions: for a file no loss can reach,
        # where only local rules (a softmax without dim) apply.
        self.shallow = shallow
        self.module_name: str | None = None
        self.is_package = False
        if project is not None:
            named = project.module_name(Path(source.path))
            if named is not None:
                self.module_name, self.is_package = named
        self.globals: Env = {}
        self._pending: list[tuple[FunctionInfo, bool]] = []
        self._pending_calls: list[tuple[FunctionInfo, Atom | None, tuple, Caller, int]] = []
        self._scheduled: set[tuple] = set()
        self._returns_memo: dict[tuple, Value] = {}
        self._in_progress: set[tuple] = set()
        self._attrs_memo: dict[Instance, Env] = {}
        self._assigns_memo: dict[FunctionInfo, set[str]] = {}
        self._effects_log: list[FunctionInfo] = []  # methods run for their `self.` effects
        self._constructing = 0  # inside an `__init__` that `class_attrs` runs
        self._depth = 0
        self._calls_left = CALL_BUDGET
        self._distance: dict[SourceFile, int] = {source: 0}
        self._applied: set[cst.Call] = set()  # loss modules some call applies
        self._scope_ends: list[tuple[Context, Env]] = []
        # The generator being followed, and what it has yielded so far.
        self._yield_sink: tuple[FunctionInfo, list[Value]] | None = None
        self._generators: dict[FunctionInfo, bool] = {}  # whether a function yields
        # Calls into this file's functions made at module level, with the globals then.
        self._module_calls: list[tuple[FunctionInfo, Atom | None, tuple, cst.Call, Env]] = []
        self._call_globals: dict[cst.Call, Env] = {}
        # The model assumed where nothing binds one (candidates.py), found on first need.
        self._candidate: Instance | None | bool = False
        self._uses = None
        self._free_models: frozenset[str] | None = None
        self._loss: LossModule | None | bool = False
        text = raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")
        self.snippet = not _TORCH_IMPORT.search(text)

    def run(self) -> None:
        env = self._initial_env()
        frame = Frame(function=None, reporting=True)
        for stmt in self.source.module.body:
            env = self.exec_stmt(stmt, env, frame)
            if env is None:
                break
            self.globals = env
        self._scope_ends.append((self._context(frame), dict(self.globals)))
        self._returns_memo.clear()
        earlier = self._earlier_globals()
        while self._pending:
            info, is_method = self._pending.pop(0)
            if info in earlier:
                # Called at module level before a global it may read was rebound: the
                # body sees either binding.
                with self._globals_as(join_envs(self.globals, *earlier[info].values())):
                    self._report_function(info, is_method)
            else:
                self._report_function(info, is_method)
        # Then the passes where a call site bound parameters (`train(model, criterion)`).
        while self._pending_calls:
            info, receiver, args, caller, depth = self._pending_calls.pop(0)
            env = dict(info.closure)
            env.update(self._bind_parameters(info, receiver, args))
            frame = Frame(
                function=info,
                reporting=True,
                caller=caller,
                call_depth=depth,
                no_grad=self._no_grad_function(info),
            )
            snapshot = self._call_globals.get(caller.node)
            if snapshot is None:
                self._end_scope(frame, self.exec_block(body_of(info.node), env, frame))
                continue
            # A call made at module level runs with the globals of that moment, and so
            # do the calls its pass schedules.
            before = len(self._pending_calls)
            with self._globals_as(snapshot):
                self._end_scope(frame, self.exec_block(body_of(info.node), env, frame))
            for scheduled in self._pending_calls[before:]:
                self._call_globals.setdefault(scheduled[3].node, snapshot)
        self._deliver_scope_ends()

    def _note_module_call(self, node: cst.Call, callee: Value, args, env: Env) -> None:
        """Remember a call into this file's code made at module level, with the globals
        of that moment: a name rebound later in the file is not what that call sees."""
        for atom in callee:
            receiver = None
            if isinstance(atom, FunctionRef):
                info = atom.info
            elif isinstance(atom, BoundMethod):
                info, receiver = atom.info, atom.receiver
            elif isinstance(atom, Instance):
                info, receiver = atom.info.find_method("forward"), atom
            else:
                continue
            if info is not None and info.source is self.source:
                self._module_calls.append((info, receiver, args, node, dict(env)))

    def _earlier_globals(self) -> dict[FunctionInfo, dict[cst.Call, Env]]:
        """For each function called at module level while a global that is rebound later
        held another value: the globals at each such call. Each call gets a pass of its
        own with them (naming the call, as a call that binds parameters does)."""
        found: dict[FunctionInfo, dict[cst.Call, Env]] = {}
        final = self.globals
        reads: dict[FunctionInfo, frozenset[str]] = {}
        for info, receiver, args, node, snapshot in self._module_calls[:MAX_MODULE_CALLS]:
            if info not in reads:
                reads[info] = names_in(info.node.body)
            read = reads[info]
            if not any(
                name in final and final[name] != snapshot[name] for name in read if name in snapshot
            ):
                continue
            found.setdefault(info, {})[node] = snapshot
            self._call_globals[node] = snapshot
            key = (info, receiver, tuple((a.keyword, a.star, a.value) for a in args))
            if key not in self._scheduled:
                self._scheduled.add(key)
                caller = Caller(node, self.source, info)
                self._pending_calls.append((info, receiver, args, caller, 1))
        self._module_calls.clear()
        return found

    @contextmanager
    def _globals_as(self, names: Env | None) -> Iterator[None]:
        """Run with other module globals; what was computed under them is forgotten."""
        final = self.globals
        self.globals = names or {}
        self._returns_memo.clear()
        self._attrs_memo.clear()
        try:
            yield
        finally:
            self.globals = final
            self._returns_memo.clear()
            self._attrs_memo.clear()

    def _end_scope(self, frame: Frame, end: Env | None) -> None:
        envs = [env for env in (end, *frame.return_envs) if env is not None]
        self._scope_ends.append((self._context(frame), join_envs(*envs) or {}))

    def _deliver_scope_ends(self) -> None:
        if self.listener is None:
            return
        results = _ScopeResults(self)
        for index, (context, env) in enumerate(self._scope_ends):
            self.listener.on_scope_end(ScopeEnd(context, env, index, results))

    def _outputs(self, env: Env) -> dict[str, Value]:
        """What calling each model a scope holds returns (training path, unknown input)."""
        outputs = {}
        for name, value in env.items():
            if value and all(is_model(atom) for atom in value):
                outputs[name] = value.map(self.model_output)
        return outputs

    def model_output(self, atom: Atom) -> Value:
        """What calling a model with data returns on its training path."""
        frame = Frame(function=None, reporting=False)
        if isinstance(atom, Instance):
            forward = atom.info.find_method("forward")
            if forward is None:
                return UNKNOWN
            result = self.call_function(forward, atom, any_call(forward))
            return through(result, atom.assumed) if atom.assumed else result
        return self.apply(atom, (), atom.origin.node, frame)

    def summarize(self) -> Env:
        """What the module binds at top level, for other files that import it."""
        env = self._initial_env()
        frame = Frame(function=None, reporting=False)
        for stmt in self.source.module.body:
            env = self.exec_stmt(stmt, env, frame)
            if env is None:
                break
            self.globals = env
        return self.globals

    def _summarize_module(self, source: SourceFile, raw: bytes) -> Env:
        """What another module of the project binds, for this file's imports of it."""
        return Interpreter(source, None, raw, project=self.project).summarize()

    def _imported(self, qualname: str) -> Value:
        """An imported name, as a reference: resolved through the project only when used
        (called, subclassed, looked into), so that importing a package does not parse it.
        """
        return Value.of(ImportRef(qualname))

    def _star_imported(self, name: str, names: Env, frame: Frame) -> Value:
        """A name no statement binds, from the latest ``from m import *`` of a project
        module that binds it (honouring ``__all__``); unknown otherwise."""
        if self.project is None or self.shallow or name in _BUILTINS:
            return UNKNOWN
        if self._distance.get(self._file(frame), MAX_IMPORT_DISTANCE) >= MAX_IMPORT_DISTANCE:
            return UNKNOWN
        near = Path(self._file(frame).path)
        module = star_origin(names, name, self.project, self._summarize_module, near)
        return UNKNOWN if module is None else self._imported(f"{module}.{name}")

    def _resolve(self, value: Value, frame: Frame) -> Value:
        """``value`` with each project-defined import replaced by what the project binds.

        Only code near the linted file resolves its imports: the file itself, and the
        modules it imports (re-exports through a package's ``__init__`` are free). Code
        farther away keeps its imports unknown. Without this bound, one script that
        builds a model from a zoo parses the whole zoo; with it, what the linted file's
        own imports define is still followed (a model class, a trainer, a factory)."""
        if self.project is None or self.shallow:
            return value
        if not any(isinstance(a, ImportRef) for a in value):
            return value
        distance = self._distance.get(self._file(frame), MAX_IMPORT_DISTANCE)
        if distance >= MAX_IMPORT_DISTANCE:
            return value

        def one(atom: Atom, hops: int = 0) -> Value:
            # A package re-exports (`from .net import Net`): follow the chain a few hops.
            if isinstance(atom, ImportRef) and hops < MAX_REEXPORT_HOPS:
                resolved = self.project.resolve(
                    atom.qualname, self._summarize_module, Path(self._file(frame).path)
                )
                if resolved is not None and resolved != Value.of(atom):
                    return resolved.map(lambda inner: one(inner, hops + 1))
            if not isinstance(atom, ImportRef):
                defined_in = getattr(getattr(atom, "info", None), "source", None)
                if defined_in is not None and distance + 1 < self._distance.get(
                    defined_in, MAX_IMPORT_DISTANCE + 1
                ):
                    self._distance[defined_in] = distance + 1
            return Value.of(atom)

        return value.map(one)

    def _initial_env(self) -> Env:
        if not self.snippet:
            return {}
        # A snippet with no torch import uses torch's conventional names (DESIGN.md).
        env: Env = {
            "torch": Value.of(ImportRef("torch")),
            "nn": Value.of(ImportRef("torch.nn")),
            "F": Value.of(ImportRef("torch.nn.functional")),
        }
        for name in torchapi.BARE_NN_NAMES:
            env[name] = Value.of(ImportRef(f"torch.nn.{name}"))
        return env

    def _report_function(self, info: FunctionInfo, is_method: bool) -> None:
        env = dict(info.closure)
        receiver = some_instance(info.owner) if is_method and info.owner else None
        env.update(self._bind_parameters(info, receiver, any_call(info)))
        env.update(self._assumed_models(info, env))
        frame = Frame(function=info, reporting=True, no_grad=self._no_grad_function(info))
        self._end_scope(frame, self.exec_block(body_of(info.node), env, frame))

    def _file(self, frame: Frame) -> SourceFile:
        """The file whose code a frame runs: a function may come from another module."""
        return frame.function.source if frame.function is not None else self.source

    def _context(self, frame: Frame) -> Context:
        return Context(
            self._file(frame),
            frame.function,
            frame.loop_depth,
            frame.no_grad,
            frame.caller,
            tuple(iteration.loop for iteration in frame.iterations),
        )


class _ScopeResults:
    """Every scope's model outputs and the applied loss modules, computed all at once
    the first time a rule asks (most files never do): in the order, and so with the
    memoised returns, that computing them before delivering any scope would give."""

    def __init__(self, interpreter: Interpreter) -> None:
        self._interpreter = interpreter
        self._outputs: list[dict[str, Value]] | None = None
        self._applied: frozenset[cst.Call] = frozenset()

    def _settle(self) -> None:
        if self._outputs is None:
            interpreter = self._interpreter
            self._outputs = [interpreter._outputs(env) for _, env in interpreter._scope_ends]
            self._applied = frozenset(interpreter._applied)

    def outputs(self, scope: int) -> dict[str, Value]:
        self._settle()
        return self._outputs[scope]

    def applied(self) -> frozenset[cst.Call]:
        self._settle()
        return self._applied
