"""The abstract interpreter: what each expression of a file holds, statement by statement.

It walks a module body and then every function body once, in statement order,
keeping an environment from names (and dotted names such as ``self.head``) to
:class:`~losslint.values.Value`. Reassignment replaces a value, branches join,
loops run to a fixpoint before they are reported on. Calls into user functions,
methods and ``forward`` are followed to their return values (memoised per
argument values). Whenever a reporting pass evaluates a call or an accumulation,
it tells its :class:`Listener` — that is all the rules ever see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import libcst as cst

from losslint import torchapi
from losslint.program import ClassInfo, FunctionInfo, SourceFile
from losslint.project import Project, absolute_module
from losslint.values import (
    UNKNOWN,
    UNKNOWN_ATOM,
    ActivationModule,
    Atom,
    BoundMethod,
    ClassRef,
    Constant,
    DictValue,
    FunctionRef,
    ImportRef,
    Instance,
    Kind,
    LayerModule,
    LossModule,
    Method,
    Origin,
    SequentialModule,
    Tensor,
    TupleValue,
    Value,
    join_all,
)

Env = dict[str, Value]

MAX_CALL_DEPTH = 5
# Function bodies interpreted for their return values, per linted file. Deep model
# zoos (a test that builds every timm model) would otherwise cost minutes; past the
# budget, calls are unknown, which can only hide findings, never invent one.
CALL_BUDGET = 400
MAX_REEXPORT_HOPS = 6
MAX_IMPORT_DISTANCE = 2  # the linted file is 0, what it imports 1; farther stays unknown
MAX_CONTEXT_DEPTH = 3  # main -> train(model, criterion) -> step(...) -> ...
LOOP_ITERATIONS = 3
_TORCH_IMPORT = re.compile(rb"^[ \t]*(?:import|from)[ \t]+torch\b", re.MULTILINE)
_EPS_NAME = re.compile(r"eps|epsilon|tiny", re.IGNORECASE)


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


@dataclass(frozen=True)
class ScopeEnd:
    """A reporting walk over a scope (the module, or one pass over a function) is over.

    Delivered once the whole file is analysed, so that rules can weigh what the walk
    left against every call made anywhere (``applied``).
    """

    context: Context
    env: dict[str, Value]  # the names as the walk left them, joined over its returns
    outputs: dict[str, Value]  # for each name holding a model: what calling it returns
    applied: frozenset[cst.Call]  # constructions of loss modules that some call applies


class Listener(Protocol):
    def on_call(self, site: CallSite) -> None: ...

    def on_accumulate(self, site: Accumulation) -> None: ...

    def on_scope_end(self, scope: ScopeEnd) -> None: ...


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


class Interpreter:
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
        self._depth = 0
        self._calls_left = CALL_BUDGET
        self._distance: dict[SourceFile, int] = {source: 0}
        self._applied: set[cst.Call] = set()  # loss modules some call applies
        self._scope_ends: list[tuple[Context, Env]] = []
        text = raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")
        self.snippet = not _TORCH_IMPORT.search(text)

    # ----------------------------------------------------------------- driver
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
        while self._pending:
            info, is_method = self._pending.pop(0)
            self._report_function(info, is_method)
        # Then the passes where a call site bound parameters (`train(model, criterion)`).
        while self._pending_calls:
            info, receiver, args, caller, depth = self._pending_calls.pop(0)
            env = dict(info.closure)
            env.update(self._bind_parameters(info, receiver, args))
            frame = Frame(function=info, reporting=True, caller=caller, call_depth=depth)
            self._end_scope(frame, self.exec_block(_body(info.node), env, frame))
        self._deliver_scope_ends()

    def _end_scope(self, frame: Frame, end: Env | None) -> None:
        envs = [env for env in (end, *frame.return_envs) if env is not None]
        self._scope_ends.append((self._context(frame), join_envs(*envs) or {}))

    def _deliver_scope_ends(self) -> None:
        if self.listener is None:
            return
        ends = [(context, env, self._outputs(env)) for context, env in self._scope_ends]
        applied = frozenset(self._applied)
        for context, env, outputs in ends:
            self.listener.on_scope_end(ScopeEnd(context, env, outputs, applied))

    def _outputs(self, env: Env) -> dict[str, Value]:
        """What calling each model a scope holds returns (training path, unknown input)."""
        outputs = {}
        for name, value in env.items():
            if value and all(_is_model(atom) for atom in value):
                outputs[name] = value.map(self.model_output)
        return outputs

    def model_output(self, atom: Atom) -> Value:
        """What calling a model with data returns on its training path."""
        frame = Frame(function=None, reporting=False)
        if isinstance(atom, Instance):
            forward = atom.info.find_method("forward")
            return self.call_function(forward, atom, ()) if forward is not None else UNKNOWN
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

    def _imported(self, qualname: str) -> Value:
        """An imported name, as a reference: resolved through the project only when used
        (called, subclassed, looked into), so that importing a package does not parse it.
        """
        return Value.of(ImportRef(qualname))

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
                resolved = self.project.resolve(atom.qualname, Path(self._file(frame).path))
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

    def _schedule_call(
        self,
        info: FunctionInfo,
        receiver: Atom | None,
        args: tuple[Argument, ...],
        node: cst.Call,
        frame: Frame,
    ) -> None:
        """Report on ``info`` again with the values this call binds, when they say more."""
        if not frame.reporting or frame.call_depth >= MAX_CONTEXT_DEPTH:
            return
        known = isinstance(receiver, Instance) and bool(receiver.args)
        known = known or any(_is_interesting(arg.value) for arg in args)
        if not known:
            return
        key = (info, receiver, tuple((a.keyword, a.star, a.value) for a in args))
        if key in self._scheduled:
            return
        self._scheduled.add(key)
        caller = Caller(node, self._file(frame), info)
        self._pending_calls.append((info, receiver, args, caller, frame.call_depth + 1))

    def _report_function(self, info: FunctionInfo, is_method: bool) -> None:
        env = dict(info.closure)
        receiver = Instance(info.owner) if is_method and info.owner else None
        env.update(self._bind_parameters(info, receiver, ()))
        frame = Frame(function=info, reporting=True)
        self._end_scope(frame, self.exec_block(_body(info.node), env, frame))

    # ------------------------------------------------------------- statements
    def exec_block(self, stmts: Sequence[cst.CSTNode], env: Env | None, frame: Frame):
        for stmt in stmts:
            if env is None:
                return None
            env = self.exec_stmt(stmt, env, frame)
        return env

    def exec_stmt(self, stmt: cst.CSTNode, env: Env, frame: Frame) -> Env | None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                env = self.exec_small(small, env, frame)
                if env is None:
                    return None
            return env
        handler = getattr(self, f"_exec_{type(stmt).__name__}", None)
        if handler is not None:
            return handler(stmt, env, frame)
        return env

    def exec_small(self, stmt: cst.BaseSmallStatement, env: Env, frame: Frame) -> Env | None:
        if isinstance(stmt, cst.Assign):
            value = self.eval(stmt.value, env, frame)
            for target in stmt.targets:
                accumulates = self._accumulation_by_assign(target.target, stmt, env, frame)
                self.bind(target.target, value, env, _keeping(frame) if accumulates else frame)
            return env
        if isinstance(stmt, cst.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.eval(stmt.value, env, frame), env, frame)
            return env
        if isinstance(stmt, cst.AugAssign):
            return self._exec_aug_assign(stmt, env, frame)
        if isinstance(stmt, cst.Expr):
            self.eval(stmt.value, env, frame)
            return env
        if isinstance(stmt, cst.Return):
            value = self.eval(stmt.value, env, frame) if stmt.value is not None else UNKNOWN
            frame.returns.append(value)
            if frame.reporting:
                frame.return_envs.append(dict(env))
            return None
        if isinstance(stmt, cst.Raise):
            if stmt.exc is not None:
                self.eval(stmt.exc, env, frame)
            return None
        if isinstance(stmt, (cst.Break, cst.Continue)):
            frame.loop_exits.append(dict(env))
            return None
        if isinstance(stmt, cst.Import):
            self._exec_import(stmt, env)
            return env
        if isinstance(stmt, cst.ImportFrom):
            self._exec_import_from(stmt, env)
            return env
        if isinstance(stmt, cst.Del):
            self._delete(stmt.target, env)
            return env
        if isinstance(stmt, cst.Assert):
            self.eval(stmt.test, env, frame)
            return env
        return env

    def _exec_aug_assign(self, stmt: cst.AugAssign, env: Env, frame: Frame) -> Env:
        current = self.eval(stmt.target, env, frame)
        value = self.eval(stmt.value, env, frame)
        if isinstance(stmt.operator, cst.AddAssign):
            self._accumulate(stmt, stmt.target, value, stmt.value, frame)
        result = self._binary(current, value, stmt.operator, stmt.value)
        accumulates = isinstance(stmt.operator, cst.AddAssign)
        self.bind(stmt.target, result, env, _keeping(frame) if accumulates else frame)
        return env

    def _accumulation_by_assign(self, target, stmt: cst.Assign, env: Env, frame: Frame) -> bool:
        """``total = total + value`` reads like ``total += value``."""
        expr = stmt.value
        if not (isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add)):
            return False
        name = _dotted(target)
        if name is None or _dotted(expr.left) != name:
            return False
        value = self.eval(expr.right, dict(env), replace(frame, reporting=False))
        self._accumulate(stmt, target, value, expr.right, frame)
        return True

    def _accumulate(self, node, target, value: Value, value_node, frame: Frame) -> None:
        if frame.reporting:
            name = _dotted(target) or self._file(frame).code(target)
            root = _dotted(_unsubscript(target))
            carried = tuple(
                it.loop for it in frame.iterations if root and not _rebound(root, it.rebound)
            )
            self.listener.on_accumulate(
                Accumulation(node, name, value, value_node, self._context(frame), carried)
            )

    def _exec_If(self, stmt: cst.If, env: Env, frame: Frame) -> Env | None:
        self.eval(stmt.test, env, frame)
        branch = _training_branch(stmt.test) if frame.training_only else None
        body_env = self.exec_block(_body(stmt), dict(env), frame) if branch is not False else None
        if stmt.orelse is None:
            else_env = dict(env)
        elif isinstance(stmt.orelse, cst.If):
            else_env = self._exec_If(stmt.orelse, dict(env), frame)
        else:
            else_env = self.exec_block(_body(stmt.orelse), dict(env), frame)
        if branch is True:
            return body_env
        if branch is False:
            return else_env
        return join_envs(body_env, else_env)

    def _exec_For(self, stmt: cst.For, env: Env, frame: Frame) -> Env | None:
        self.eval(stmt.iter, env, frame)

        def enter(loop_env: Env, loop_frame: Frame) -> Env:
            self.bind(stmt.target, UNKNOWN, loop_env, loop_frame)
            return loop_env

        return self._loop(stmt, env, frame, enter)

    def _exec_While(self, stmt: cst.While, env: Env, frame: Frame) -> Env | None:
        def enter(loop_env: Env, loop_frame: Frame) -> Env:
            self.eval(stmt.test, loop_env, loop_frame)
            return loop_env

        return self._loop(stmt, env, frame, enter)

    def _loop(self, stmt, env: Env, frame: Frame, enter) -> Env | None:
        """Run the body to a fixpoint quietly, then once more reporting, from that state."""
        state = dict(env)
        quiet = replace(frame, reporting=False, loop_depth=frame.loop_depth + 1, loop_exits=[])
        for _ in range(LOOP_ITERATIONS):
            quiet.iterations = (*frame.iterations, Iteration(stmt))
            body_env = self.exec_block(_body(stmt), enter(dict(state), quiet), quiet)
            joined = join_envs(state, body_env, *quiet.loop_exits)
            quiet.loop_exits.clear()
            if joined == state:
                break
            state = joined
        final = replace(frame, loop_depth=frame.loop_depth + 1, loop_exits=[])
        final.iterations = (*frame.iterations, Iteration(stmt))
        body_env = self.exec_block(_body(stmt), enter(dict(state), final), final)
        after = join_envs(state, body_env, *final.loop_exits)
        if stmt.orelse is not None and after is not None:
            after = self.exec_block(_body(stmt.orelse), after, frame)
        return after

    def _exec_With(self, stmt: cst.With, env: Env, frame: Frame) -> Env | None:
        inner = frame
        for item in stmt.items:
            self.eval(item.item, env, frame)
            if isinstance(item.item, cst.Call):
                callee = self.eval(item.item.func, dict(env), replace(frame, reporting=False))
                if _is_no_grad(callee):
                    inner = replace(frame, no_grad=True)
            if item.asname is not None:
                self.bind(item.asname.name, UNKNOWN, env, frame)
        # `inner` shares the frame's lists, so returns and loop exits reach the frame.
        return self.exec_block(_body(stmt), env, inner)

    def _exec_Try(self, stmt, env: Env, frame: Frame) -> Env | None:
        body_env = self.exec_block(_body(stmt), dict(env), frame)
        outcomes = []
        handler_start = join_envs(env, body_env)
        for handler in stmt.handlers:
            start = dict(handler_start)
            if handler.name is not None:
                self.bind(handler.name.name, UNKNOWN, start, frame)
            outcomes.append(self.exec_block(_body(handler), start, frame))
        if stmt.orelse is not None and body_env is not None:
            body_env = self.exec_block(_body(stmt.orelse), body_env, frame)
        result = join_envs(body_env, *outcomes)
        if stmt.finalbody is not None:
            result = self.exec_block(_body(stmt.finalbody), result or dict(env), frame)
        return result

    _exec_TryStar = _exec_Try

    def _exec_Match(self, stmt: cst.Match, env: Env, frame: Frame) -> Env | None:
        self.eval(stmt.subject, env, frame)
        outcomes = [self.exec_block(_body(case), dict(env), frame) for case in stmt.cases]
        return join_envs(env, *outcomes)

    def _exec_FunctionDef(self, stmt: cst.FunctionDef, env: Env, frame: Frame) -> Env:
        closure = dict(env) if frame.function is not None else {}
        info = FunctionInfo(node=stmt, source=self._file(frame), closure=closure)
        env[stmt.name.value] = Value.of(FunctionRef(info))
        if frame.reporting:
            self._pending.append((info, False))
        return env

    def _exec_ClassDef(self, stmt: cst.ClassDef, env: Env, frame: Frame) -> Env:
        bases: list[ClassInfo] = []
        for arg in stmt.bases:
            for atom in self._resolve(self.eval(arg.value, env, frame), frame):
                if isinstance(atom, ClassRef):
                    bases.append(atom.info)
        body_env: Env = {}
        info = ClassInfo(node=stmt, source=self._file(frame), bases=tuple(bases), body_env=body_env)
        class_frame = Frame(function=None, reporting=frame.reporting)
        for item in _body(stmt):
            if isinstance(item, cst.FunctionDef):
                closure = dict(env) if frame.function is not None else {}
                method = FunctionInfo(
                    node=item, source=self._file(frame), closure=closure, owner=info
                )
                info.methods[item.name.value] = method
                if frame.reporting:
                    self._pending.append((method, not _is_static(item)))
            else:
                scratch = {**env, **body_env}
                after = self.exec_stmt(item, scratch, class_frame)
                if after is not None:
                    body_env.update({k: v for k, v in after.items() if env.get(k) is not v})
        env[stmt.name.value] = Value.of(ClassRef(info))
        return env

    def _exec_import(self, stmt: cst.Import, env: Env) -> None:
        for alias in stmt.names:
            dotted = _dotted(alias.name)
            if dotted is None:
                continue
            if alias.asname is not None:
                self._kill(_dotted(alias.asname.name) or "", env)
                env[_dotted(alias.asname.name) or dotted] = self._imported(dotted)
            else:
                top = dotted.split(".", 1)[0]
                self._kill(top, env)
                env[top] = Value.of(ImportRef(top))

    def _exec_import_from(self, stmt: cst.ImportFrom, env: Env) -> None:
        module = _dotted(stmt.module) if stmt.module is not None else ""
        dots = "." * len(stmt.relative)
        base = f"{dots}{module}" if module else dots
        if dots and self.module_name is not None:
            base = absolute_module(base, self.module_name, self.is_package) or base
        if isinstance(stmt.names, cst.ImportStar):
            for name in _star_names(base):
                env[name] = Value.of(ImportRef(f"{base}.{name}"))
            return
        for alias in stmt.names:
            name = _dotted(alias.name) or ""
            local = _dotted(alias.asname.name) if alias.asname is not None else name
            qualname = f"{base}.{name}" if not base.endswith(".") else f"{base}{name}"
            self._kill(local or name, env)
            env[local or name] = self._imported(qualname)

    # -------------------------------------------------------------- binding
    def bind(self, target: cst.BaseExpression, value: Value, env: Env, frame: Frame) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            starred = any(isinstance(e, cst.StarredElement) for e in elements)
            for index, element in enumerate(elements):
                part = UNKNOWN if starred else _item(value, index, len(elements))
                inner = element.value
                self.bind(inner, part, env, frame)
            return
        if isinstance(target, cst.Subscript):
            self.eval(target.value, env, frame)
            return
        name = _dotted(target)
        if name is None:
            return
        self._kill(name, env)
        env[name] = value
        for iteration in frame.iterations:
            iteration.rebound.add(name)

    @staticmethod
    def _kill(name: str, env: Env) -> None:
        """Rebinding ``x`` forgets what was known of ``x.attr``."""
        prefix = name + "."
        for key in [key for key in env if key.startswith(prefix)]:
            del env[key]

    def _delete(self, target, env: Env) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._delete(element.value, env)
            return
        name = _dotted(target)
        if name is not None:
            env.pop(name, None)
            self._kill(name, env)

    # ----------------------------------------------------------- expressions
    def eval(self, node: cst.BaseExpression, env: Env, frame: Frame) -> Value:
        handler = getattr(self, f"_eval_{type(node).__name__}", None)
        if handler is not None:
            return handler(node, env, frame)
        self._eval_children(node, env, frame)
        return UNKNOWN

    def _eval_children(self, node: cst.CSTNode, env: Env, frame: Frame) -> None:
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.eval(child, env, frame)
            elif not isinstance(
                child, (cst.BaseParenthesizableWhitespace, cst.LeftParen, cst.RightParen)
            ):
                self._eval_children(child, env, frame)

    def lookup(self, name: str, env: Env, frame: Frame) -> Value:
        if name in env:
            return env[name]
        if frame.function is not None and name in frame.function.closure:
            return frame.function.closure[name]
        return self._module_globals(frame).get(name, UNKNOWN)

    def _module_globals(self, frame: Frame) -> Env:
        """The top-level names the running code sees: a function imported from another
        file reads that file's imports and globals, not those of the file being linted."""
        source = self._file(frame)
        if source is self.source or self.project is None:
            return self.globals
        found = self.project.globals_of(source)
        return found if found is not None else {}

    def _eval_Name(self, node: cst.Name, env: Env, frame: Frame) -> Value:
        return self.lookup(node.value, env, frame)

    def _eval_Attribute(self, node: cst.Attribute, env: Env, frame: Frame) -> Value:
        dotted = _dotted(node)
        if dotted is not None and dotted in env:
            return env[dotted]
        base = self.eval(node.value, env, frame)
        return self.attribute(base, node.attr.value, frame)

    def attribute(self, base: Value, name: str, frame: Frame) -> Value:
        def one(atom: Atom) -> Value:
            if isinstance(atom, ImportRef):
                resolved = self._resolve(Value.of(atom), frame)
                if not resolved.all(ImportRef):
                    return self.attribute(resolved, name, frame)
                return self._imported(f"{atom.qualname}.{name}")
            if isinstance(atom, Instance):
                attrs = self.class_attrs(atom)
                if name in attrs:
                    return attrs[name]
                method = atom.info.find_method(name)
                if method is not None:
                    return Value.of(BoundMethod(atom, method))
                if name in torchapi.MODULE_SELF_METHODS:
                    # nn.Module's own `to`/`eval`/...: `Net().to(device)` is still the Net.
                    return Value.of(Method(Value.of(atom), name))
                return UNKNOWN
            if isinstance(atom, ClassRef):
                return atom.info.body_env.get(name, UNKNOWN)
            if isinstance(atom, SequentialModule) and name.isdigit():
                return _layer(atom, int(name))
            return Value.of(Method(Value.of(atom), name))

        return base.map(one)

    def _eval_Call(self, node: cst.Call, env: Env, frame: Frame) -> Value:
        callee = self._resolve(self.eval(node.func, env, frame), frame)
        args = tuple(
            Argument(
                keyword=arg.keyword.value if arg.keyword is not None else None,
                value=self.eval(arg.value, env, frame),
                node=arg.value,
                star=arg.star if isinstance(arg.star, str) else "",
            )
            for arg in node.args
        )
        result = callee.map(lambda atom: self.apply(atom, args, node, frame))
        self._after_call(node, callee, args, env, frame)
        if frame.reporting:
            self.listener.on_call(CallSite(node, callee, args, self._context(frame)))
        return result

    def _after_call(self, node: cst.Call, callee: Value, args, env: Env, frame: Frame) -> None:
        """Calls that change what a name holds: ``seq.add_module(name, m)``, ``append``."""
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        owner = _dotted(node.func.value)
        if method == "add_module" and owner is not None and len(args) >= 2:
            current = self.eval(node.func.value, env, frame)
            sequentials = current.all(SequentialModule)
            if sequentials:
                env[owner] = Value.of(
                    *(replace(s, layers=(*s.layers, args[1].value)) for s in sequentials)
                )
            elif current.all(Instance) and args[0].value.all(Constant):
                for constant in args[0].value.all(Constant):
                    env[f"{owner}.{constant.value}"] = args[1].value
        if method == "append" and owner is not None and args and frame.reporting:
            self._accumulate(node, node.func.value, args[0].value, args[0].node, frame)

    def apply(self, atom: Atom, args: tuple[Argument, ...], node: cst.Call, frame: Frame) -> Value:
        """What calling ``atom`` with ``args`` returns."""
        if isinstance(atom, ImportRef):
            return self._apply_import(atom, args, node, frame)
        if isinstance(atom, Method):
            return self._apply_method(atom, args, node, frame)
        if isinstance(atom, LossModule):
            self._applied.add(atom.call)
            return self._loss_result(node, frame)
        if isinstance(atom, ActivationModule):
            dim = _argument(atom.call, 0, "dim")
            return self._activate(atom.activation, _first(args), dim, node, frame, atom.origin)
        if isinstance(atom, LayerModule):
            return self._apply_layer(atom, _first(args), node)
        if isinstance(atom, SequentialModule):
            value = _first(args)
            for layer in atom.layers:
                value = layer.map(
                    lambda layer_atom, v=value: self.apply_module(layer_atom, v, node, frame)
                )
            return value
        if isinstance(atom, ClassRef):
            instance = Instance(atom.info, _constructor_args(args))
            init = atom.info.find_method("__init__")
            if init is not None:
                self._schedule_call(init, instance, args, node, frame)
            if instance.args:
                # Frameworks call the hooks (`training_step`, `fit`) where no call is
                # visible: report on every method with what this construction bound.
                for method in _instance_methods(atom.info):
                    self._schedule_call(method, instance, (), node, frame)
            return Value.of(instance)
        if isinstance(atom, Instance):
            forward = atom.info.find_method("forward")
            if forward is None:
                return UNKNOWN
            self._schedule_call(forward, atom, args, node, frame)
            return UNKNOWN if self.shallow else self.call_function(forward, atom, args)
        if isinstance(atom, BoundMethod):
            self._schedule_call(atom.info, atom.receiver, args, node, frame)
            if self.shallow:
                return UNKNOWN
            return self.call_function(atom.info, atom.receiver, args)
        if isinstance(atom, FunctionRef):
            self._schedule_call(atom.info, None, args, node, frame)
            return UNKNOWN if self.shallow else self.call_function(atom.info, None, args)
        return UNKNOWN

    def apply_module(self, atom: Atom, value: Value, node: cst.Call, frame: Frame) -> Value:
        """A module inside a Sequential applied to the value flowing through it."""
        argument = Argument(keyword=None, value=value, node=node)
        return self.apply(atom, (argument,), node, frame)

    def _apply_import(self, atom: ImportRef, args, node: cst.Call, frame: Frame) -> Value:
        name = torchapi.canonical(atom.qualname)
        if name in torchapi.ACTIVATION_FUNCTIONS:
            dim = _argument(node, 1, "dim")
            origin = Origin(node, self._file(frame), torchapi.ACTIVATION_FUNCTIONS[name])
            return self._activate(
                torchapi.ACTIVATION_FUNCTIONS[name], _first(args), dim, node, frame, origin
            )
        if name in torchapi.LOSS_FUNCTIONS:
            return self._loss_result(node, frame)
        origin = Origin(node, self._file(frame), _short_torch_name(name))
        if name in torchapi.LOSS_CLASSES:
            spec = torchapi.LOSS_CLASSES[name]
            return Value.of(LossModule(spec.function, spec.class_name, node, origin))
        if name in torchapi.ACTIVATION_CLASSES:
            return Value.of(
                ActivationModule(
                    torchapi.ACTIVATION_CLASSES[name], name.rsplit(".", 1)[1], node, origin
                )
            )
        if name == torchapi.SEQUENTIAL_CLASS:
            return Value.of(SequentialModule(_sequential_layers(args), origin))
        if name in torchapi.PRESERVING_FUNCTIONS:
            return self._preserve(_first(args), name.rsplit(".", 1)[1])
        if name in torchapi.ONE_HOT_FUNCTIONS:
            return Value.of(Tensor(Kind.ONE_HOT, origin, "one_hot", has_graph=False))
        if name in torchapi.CLASS_INDEX_FUNCTIONS:
            return Value.of(Tensor(Kind.CLASS_INDEX, origin, "argmax", has_graph=False))
        if name == "torch.max" and len(args) >= 2:
            indices = Tensor(Kind.CLASS_INDEX, origin, "max", has_graph=False)
            return Value.of(TupleValue((UNKNOWN, Value.of(indices))))
        if name in ("collections.OrderedDict", "dict") and args:
            return _pairs_to_dict(args[0].value)
        if name in torchapi.MODULE_WRAPPERS:
            return _first(args)  # `DataParallel(model)`, `torch.compile(model)`: the model
        if torchapi.is_torch(name) and name.startswith("torch.nn.") and _is_class_name(name):
            return Value.of(LayerModule(name, origin))
        return UNKNOWN

    def _apply_method(self, atom: Method, args, node: cst.Call, frame: Frame) -> Value:
        name = atom.name
        receiver = atom.receiver
        if receiver.all(Instance) and name in torchapi.MODULE_SELF_METHODS:
            return receiver  # a user module's inherited `to`/`eval`/... returns the module
        modules = [
            a for a in receiver if isinstance(a, (LossModule, ActivationModule, LayerModule))
        ]
        if modules or receiver.all(SequentialModule):
            if name in torchapi.MODULE_SELF_METHODS:
                return receiver
            if name == "forward":
                return receiver.map(lambda a: self.apply(a, args, node, frame))
            return UNKNOWN
        if not all(isinstance(a, Tensor) or a is UNKNOWN_ATOM for a in receiver):
            return UNKNOWN
        if name in torchapi.ACTIVATION_METHODS:
            dim = _argument(node, 0, "dim")
            activation = torchapi.ACTIVATION_METHODS[name]
            origin = Origin(node, self._file(frame), activation)
            return self._activate(activation, receiver, dim, node, frame, origin)
        if name in torchapi.PRESERVING_METHODS:
            return self._preserve(receiver, name)
        if name in torchapi.CLASS_INDEX_METHODS:
            origin = Origin(node, self._file(frame), name)
            return Value.of(Tensor(Kind.CLASS_INDEX, origin, name, has_graph=False))
        if name == "max" and args:
            origin = Origin(node, self._file(frame), name)
            indices = Tensor(Kind.CLASS_INDEX, origin, name, has_graph=False)
            return Value.of(TupleValue((UNKNOWN, Value.of(indices))))
        return UNKNOWN

    def _apply_layer(self, atom: LayerModule, value: Value, node: cst.Call) -> Value:
        name = torchapi.canonical(atom.qualname)
        if name in torchapi.AFFINE_LAYERS:
            return Value.of(Tensor(Kind.LOGITS, atom.origin, "", has_graph=True))
        if name in torchapi.PASS_THROUGH_LAYERS:
            return value
        return UNKNOWN

    def _activate(
        self,
        activation: str,
        value: Value,
        dim,
        node: cst.Call,
        frame: Frame,
        origin: Origin,
    ) -> Value:
        graph = not frame.no_grad
        if activation == "softmax":
            return Value.of(Tensor(Kind.PROBS, origin, "softmax", dim, graph))
        if activation == "sigmoid":
            return Value.of(Tensor(Kind.PROBS, origin, "sigmoid", None, graph))
        if activation == "log_softmax":
            return Value.of(Tensor(Kind.LOG_PROBS, origin, "log_softmax", dim, graph))
        if activation == "logsigmoid":
            return Value.of(Tensor(Kind.LOG_PROBS, origin, "logsigmoid", None, graph))
        inputs = value.tensors()
        if activation == "exp" and inputs and all(t.kind is Kind.LOG_PROBS for t in inputs):
            what = f"exp of {inputs[0].activation}"
            return Value.of(Tensor(Kind.PROBS, replace(origin, what=what), "exp", None, graph))
        if activation == "log" and inputs and all(t.kind is Kind.PROBS for t in inputs):
            what = f"log of {inputs[0].activation}"
            return Value.of(Tensor(Kind.LOG_PROBS, replace(origin, what=what), "log", None, graph))
        return UNKNOWN

    def _loss_result(self, node: cst.Call, frame: Frame) -> Value:
        origin = Origin(node, self._file(frame), "loss")
        return Value.of(Tensor(Kind.LOSS, origin, "", has_graph=not frame.no_grad))

    @staticmethod
    def _preserve(value: Value, method: str) -> Value:
        if method in ("clamp", "clamp_", "clip"):
            # Clamped logits are bounded: no longer evidence of an unbounded value.
            return value.map(
                lambda a: (
                    UNKNOWN if isinstance(a, Tensor) and a.kind is Kind.LOGITS else Value.of(a)
                )
            )
        if method == "detach":
            return value.map(
                lambda a: (
                    Value.of(replace(a, has_graph=False)) if isinstance(a, Tensor) else Value.of(a)
                )
            )
        return value

    # ------------------------------------------------------------- operators
    def _eval_BinaryOperation(self, node: cst.BinaryOperation, env: Env, frame: Frame) -> Value:
        left = self.eval(node.left, env, frame)
        right = self.eval(node.right, env, frame)
        return self._binary(left, right, node.operator, node.right)

    @staticmethod
    def _binary(left: Value, right: Value, operator, right_node) -> Value:
        """Adding a tiny constant keeps probabilities probabilities; losses add up to losses."""
        tensors = left.tensors()
        additive = isinstance(operator, (cst.Add, cst.Subtract, cst.AddAssign))
        if tensors and all(t.kind is Kind.LOSS for t in tensors):
            other = right.tensors()
            if additive and other and all(t.kind is Kind.LOSS for t in other):
                return left
            if right.all(Constant):
                return left
            if isinstance(operator, _SCALING):
                return left  # `loss * inputs.size(0)`, `loss / steps`: the same graph
        if not tensors and isinstance(operator, _SCALING) and not isinstance(operator, _DIVIDING):
            other = right.tensors()
            if other and all(t.kind is Kind.LOSS for t in other):
                return right  # `batch_size * loss`
        if tensors and additive and all(t.kind is Kind.PROBS for t in tensors):
            if right.all(Constant) or _is_epsilon(right_node):
                return left
        if isinstance(operator, (cst.Add, cst.AddAssign)) and not tensors:
            other = right.tensors()
            if (
                other
                and all(t.kind is Kind.LOSS for t in other)
                and (left.all(Constant) or left.is_unknown)
            ):
                return right if left.all(Constant) else UNKNOWN
        return UNKNOWN

    def _eval_UnaryOperation(self, node, env: Env, frame: Frame) -> Value:
        self.eval(node.expression, env, frame)
        return UNKNOWN

    def _eval_Subscript(self, node: cst.Subscript, env: Env, frame: Frame) -> Value:
        base = self.eval(node.value, env, frame)
        keys: list[Value] = []
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                keys.append(self.eval(element.slice.value, env, frame))
            else:
                self._eval_children(element.slice, env, frame)
                keys.append(UNKNOWN)
        key = keys[0] if len(keys) == 1 else UNKNOWN

        def one(atom: Atom) -> Value:
            if isinstance(atom, Tensor):
                return Value.of(atom)
            constants = key.all(Constant)
            if len(constants) != 1:
                return UNKNOWN
            index = constants[0].value
            if isinstance(atom, TupleValue) and isinstance(index, int):
                if -len(atom.items) <= index < len(atom.items):
                    return atom.items[index]
            if isinstance(atom, DictValue) and isinstance(index, str):
                return atom.get(index) or UNKNOWN
            if isinstance(atom, SequentialModule) and isinstance(index, int):
                return _layer(atom, index)
            return UNKNOWN

        return base.map(one)

    def _eval_Tuple(self, node, env: Env, frame: Frame) -> Value:
        values = []
        for element in node.elements:
            value = self.eval(element.value, env, frame)
            if isinstance(element, cst.StarredElement):
                return UNKNOWN
            values.append(value)
        return Value.of(TupleValue(tuple(values)))

    _eval_List = _eval_Tuple

    def _eval_Dict(self, node: cst.Dict, env: Env, frame: Frame) -> Value:
        items = []
        known = True
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                self.eval(element.value, env, frame)
                known = False
                continue
            key = self.eval(element.key, env, frame)
            value = self.eval(element.value, env, frame)
            constants = key.all(Constant)
            if len(constants) == 1 and isinstance(constants[0].value, str):
                items.append((constants[0].value, value))
            else:
                known = False
        return Value.of(DictValue(tuple(items))) if known else UNKNOWN

    def _eval_SimpleString(self, node: cst.SimpleString, env: Env, frame: Frame) -> Value:
        quote = node.quote
        body = node.value[len(node.prefix) + len(quote) : -len(quote)]
        prefix = node.prefix.lower()
        if "b" in prefix:
            return UNKNOWN
        if "\\" not in body:  # the common case, without the cost of literal_eval
            return Value.of(Constant(body))
        try:
            text = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd literals are simply unknown
            return UNKNOWN
        return Value.of(Constant(text)) if isinstance(text, str) else UNKNOWN

    def _eval_Integer(self, node: cst.Integer, env: Env, frame: Frame) -> Value:
        try:
            return Value.of(Constant(int(node.value, 0)))
        except ValueError:  # "0777"-style or odd literals: not worth literal_eval
            return Value.of(Constant(node.value))

    def _eval_Float(self, node: cst.Float, env: Env, frame: Frame) -> Value:
        try:
            return Value.of(Constant(float(node.value)))
        except ValueError:
            return Value.of(Constant(node.value))

    def _eval_IfExp(self, node: cst.IfExp, env: Env, frame: Frame) -> Value:
        self.eval(node.test, env, frame)
        return self.eval(node.body, env, frame).join(self.eval(node.orelse, env, frame))

    def _eval_NamedExpr(self, node: cst.NamedExpr, env: Env, frame: Frame) -> Value:
        value = self.eval(node.value, env, frame)
        self.bind(node.target, value, env, frame)
        return value

    def _eval_Lambda(self, node, env: Env, frame: Frame) -> Value:
        return UNKNOWN

    def _eval_comprehension(self, node, env: Env, frame: Frame) -> Value:
        scope = dict(env)
        clause = node.for_in
        while clause is not None:
            self.eval(clause.iter, scope, frame)
            self.bind(clause.target, UNKNOWN, scope, frame)
            for condition in clause.ifs:
                self.eval(condition.test, scope, frame)
            clause = clause.inner_for_in
        loop_frame = replace(frame, loop_depth=frame.loop_depth + 1)
        if isinstance(node, cst.DictComp):
            self.eval(node.key, scope, loop_frame)
            self.eval(node.value, scope, loop_frame)
        else:
            self.eval(node.elt, scope, loop_frame)
        return UNKNOWN

    _eval_ListComp = _eval_comprehension
    _eval_SetComp = _eval_comprehension
    _eval_GeneratorExp = _eval_comprehension
    _eval_DictComp = _eval_comprehension

    # -------------------------------------------------------------- functions
    def call_function(
        self, info: FunctionInfo, receiver: Atom | None, args: tuple[Argument, ...]
    ) -> Value:
        """The value a user function or method returns on its training path."""
        if not _returns_a_value(info):
            return UNKNOWN
        # Arguments that say nothing are all alike: one summary serves every such call.
        args = tuple(
            a if _is_interesting(a.value) else replace(a, value=UNKNOWN, node=info.node)
            for a in args
        )
        key = (info, receiver, tuple((a.keyword, a.star, a.value) for a in args))
        if key in self._returns_memo:
            return self._returns_memo[key]
        if key in self._in_progress or self._depth >= MAX_CALL_DEPTH:
            return UNKNOWN
        if self._calls_left <= 0:
            return UNKNOWN  # the file's budget is spent: say nothing rather than guess
        self._calls_left -= 1
        self._in_progress.add(key)
        self._depth += 1
        try:
            env = dict(self._bind_parameters(info, receiver, args))
            frame = Frame(function=info, reporting=False, training_only=True)
            end = self.exec_block(_body(info.node), env, frame)
            returns = list(frame.returns)
            if end is not None or not returns:
                returns.append(UNKNOWN)
            step = f"returned by {info.qualname}"
            result = join_all(_through(value, step) for value in returns)
        finally:
            self._depth -= 1
            self._in_progress.discard(key)
        self._returns_memo[key] = result
        return result

    def _bind_parameters(
        self, info: FunctionInfo, receiver: Atom | None, args: tuple[Argument, ...]
    ) -> Env:
        params = info.node.params
        positional = [*params.posonly_params, *params.params]
        env: Env = {param.name.value: UNKNOWN for param in positional}
        for param in params.kwonly_params:
            env[param.name.value] = UNKNOWN
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env[star.name.value] = UNKNOWN
        slots = [param.name.value for param in positional]
        bound: set[str] = set()
        if receiver is not None and slots:
            bound.add(slots[0])
            env[slots.pop(0)] = Value.of(receiver)
        position = 0
        for arg in args:
            if arg.star:
                break
            if arg.keyword is None:
                if position < len(slots):
                    env[slots[position]] = arg.value
                    bound.add(slots[position])
                position += 1
            elif arg.keyword in env:
                env[arg.keyword] = arg.value
                bound.add(arg.keyword)
        if not any(arg.star for arg in args):
            # What no argument binds holds its default, evaluated where the function is
            # defined: `def train(model, loader, criterion=nn.CrossEntropyLoss())`.
            where = Frame(function=info, reporting=False)
            for param in [*positional, *params.kwonly_params]:
                if param.default is not None and param.name.value not in bound:
                    env[param.name.value] = self.eval(param.default, {}, where)
        return env

    def class_attrs(self, instance: Instance) -> Env:
        """``self.`` attributes as ``__init__`` leaves them (and class-level names).

        The constructor arguments the instance was made with are bound, so that
        ``Trainer(model, criterion)`` knows its ``self.criterion``. An attribute that
        another method also assigns could hold either value, so it is joined with
        unknown: what ``__init__`` built is not all it may hold.
        """
        if instance in self._attrs_memo:
            return self._attrs_memo[instance]
        info = instance.info
        attrs: Env = {}
        self._attrs_memo[instance] = attrs  # a cycle sees what is known so far
        for base in info.bases:
            attrs.update(self.class_attrs(Instance(base)))
        attrs.update(info.body_env)
        init = info.methods.get("__init__")
        if init is not None:
            self_name = _first_param(init)
            init_args = tuple(
                Argument(keyword=key if isinstance(key, str) else None, value=value, node=init.node)
                for key, value in instance.args
            )
            env = self._bind_parameters(init, instance, init_args)
            frame = Frame(function=init, reporting=False)
            end = self.exec_block(_body(init.node), env, frame) or env
            prefix = f"{self_name}."
            for key, value in end.items():
                if key.startswith(prefix) and "." not in key[len(prefix) :]:
                    attrs[key[len(prefix) :]] = value
        for name, method in info.methods.items():
            if name == "__init__":
                continue
            for assigned in _self_assignments(method):
                if assigned in attrs:
                    attrs[assigned] = attrs[assigned].join(UNKNOWN)
        return attrs

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


# ------------------------------------------------------------------ helpers
def join_envs(*envs: Env | None) -> Env | None:
    reachable = [env for env in envs if env is not None]
    if not reachable:
        return None
    if len(reachable) == 1:
        return reachable[0]
    result: Env = {}
    keys = set().union(*reachable)
    for key in keys:
        # A name unbound on one path is an error there, so the other paths decide.
        result[key] = join_all(env[key] for env in reachable if key in env)
    return result


def _keeping(frame: Frame) -> Frame:
    """``frame`` for binding an accumulator: adding to it is no rebinding in a loop."""
    return replace(frame, iterations=())


def _unsubscript(node):
    while isinstance(node, cst.Subscript):
        node = node.value
    return node


def _rebound(name: str, rebound: set[str]) -> bool:
    """Whether ``name`` (``self.history``) or an object it hangs off was rebound."""
    parts = name.split(".")
    return any(".".join(parts[: i + 1]) in rebound for i in range(len(parts)))


def _is_model(atom: Atom) -> bool:
    """Calling it runs a network: a user module with ``forward``, or a torch module."""
    if isinstance(atom, Instance):
        return atom.info.find_method("forward") is not None
    return isinstance(atom, (SequentialModule, LayerModule, ActivationModule))


def _body(node) -> Sequence[cst.CSTNode]:
    body = node.body
    return body.body if hasattr(body, "body") else body


def _dotted(node) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    return None


def _first(args: tuple[Argument, ...]) -> Value:
    for arg in args:
        if arg.keyword in (None, "input") and not arg.star:
            return arg.value
    return UNKNOWN


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The expression passed for a parameter of ``call``, by keyword or position."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [arg for arg in call.args if arg.keyword is None]
    if position < len(positional) and not positional[position].star:
        if not any(arg.star for arg in positional[:position]):
            return positional[position].value
    return None


def _item(value: Value, index: int, count: int) -> Value:
    def one(atom: Atom) -> Value:
        if isinstance(atom, TupleValue) and len(atom.items) == count:
            return atom.items[index]
        return UNKNOWN

    return value.map(one) if value else UNKNOWN


_INTERESTING = (
    LossModule,
    ActivationModule,
    LayerModule,
    SequentialModule,
    Instance,
    Tensor,
    TupleValue,
    DictValue,
    FunctionRef,
)


def _returns_a_value(info: FunctionInfo) -> bool:
    """Whether a function has a ``return <value>`` of its own (not in a nested def)."""
    if info.returns_value is None:
        info.returns_value = any(
            isinstance(statement, cst.Return) and statement.value is not None
            for statement in _small_statements(info.node.body)
        )
    return info.returns_value


def _small_statements(node: cst.CSTNode) -> Iterator[cst.BaseSmallStatement]:
    """The simple statements of a body, through compound statements but not into
    nested functions or classes. Walks statements only, never expressions: it is far
    cheaper than a visitor over the whole tree."""
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return
    if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        yield from node.body
        return
    if isinstance(node, cst.IndentedBlock):
        for statement in node.body:
            yield from _small_statements(statement)
        return
    for part in ("body", "orelse", "handlers", "finalbody", "cases"):
        child = getattr(node, part, None)
        if child is None:
            continue
        for inner in child if isinstance(child, (list, tuple)) else (child,):
            yield from _small_statements(inner)


def _is_interesting(value: Value) -> bool:
    """Whether a value says more than "unknown" — worth a pass with it bound."""
    return bool(value) and all(isinstance(atom, _INTERESTING) for atom in value)


def _constructor_args(args: tuple[Argument, ...]) -> tuple[tuple[str | int, Value], ...]:
    """The constructor arguments an instance keeps: positional ones, up to the first
    that cannot be placed, and keywords; only those that say something."""
    kept: list[tuple[str | int, Value]] = []
    position = 0
    for arg in args:
        if arg.star:
            break
        if arg.keyword is None:
            kept.append((position, arg.value))
            position += 1
        else:
            kept.append((arg.keyword, arg.value))
    if not any(_is_interesting(value) for _, value in kept):
        return ()
    return tuple(kept)


def _layer(atom: SequentialModule, index: int) -> Value:
    if -len(atom.layers) <= index < len(atom.layers):
        return atom.layers[index]
    return UNKNOWN


def _sequential_layers(args: tuple[Argument, ...]) -> tuple[Value, ...]:
    if any(arg.star or arg.keyword for arg in args):
        return (UNKNOWN,)
    if len(args) == 1:
        dicts = args[0].value.all(DictValue)
        if len(dicts) == 1:
            return tuple(value for _, value in dicts[0].items)
    return tuple(arg.value for arg in args)


def _pairs_to_dict(value: Value) -> Value:
    """``OrderedDict([("fc", layer), ...])`` as a dict of known keys."""
    lists = value.all(TupleValue)
    if len(lists) != 1:
        return UNKNOWN
    items = []
    for pair in lists[0].items:
        pairs = pair.all(TupleValue)
        if len(pairs) != 1 or len(pairs[0].items) != 2:
            return UNKNOWN
        keys = pairs[0].items[0].all(Constant)
        if len(keys) != 1 or not isinstance(keys[0].value, str):
            return UNKNOWN
        items.append((keys[0].value, pairs[0].items[1]))
    return Value.of(DictValue(tuple(items)))


def _through(value: Value, step: str) -> Value:
    def one(atom: Atom) -> Value:
        if isinstance(atom, Tensor):
            return Value.of(replace(atom, origin=atom.origin.through(step)))
        if isinstance(atom, TupleValue):
            return Value.of(TupleValue(tuple(_through(item, step) for item in atom.items)))
        if isinstance(atom, DictValue):
            return Value.of(DictValue(tuple((k, _through(v, step)) for k, v in atom.items)))
        return Value.of(atom)

    return value.map(one)


def _training_branch(test: cst.BaseExpression) -> bool | None:
    """True when ``test`` holds in training (``self.training``), False when it fails."""
    if isinstance(test, cst.Attribute) and test.attr.value == "training":
        return True
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _training_branch(test.expression)
        return None if inner is None else not inner
    return None


# A loss scaled by anything (a batch size, a weight, a step count) keeps its graph.
_SCALING = (cst.Multiply, cst.Divide, cst.MultiplyAssign, cst.DivideAssign)
_DIVIDING = (cst.Divide, cst.DivideAssign)

_NO_GRAD = frozenset({"torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad"})


def _is_no_grad(callee: Value) -> bool:
    return any(
        isinstance(atom, ImportRef) and torchapi.canonical(atom.qualname) in _NO_GRAD
        for atom in callee
    )


def _is_epsilon(node: cst.BaseExpression) -> bool:
    name = _dotted(node)
    return name is not None and bool(_EPS_NAME.search(name.rsplit(".", 1)[-1]))


def _is_class_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last[:1].isupper()


def _short_torch_name(name: str) -> str:
    if name.startswith("torch.nn.functional."):
        return "F." + name.rsplit(".", 1)[1]
    if name.startswith("torch.nn."):
        return "nn." + name.rsplit(".", 1)[1]
    return name


def _is_static(node: cst.FunctionDef) -> bool:
    return any(
        _dotted(decorator.decorator) in ("staticmethod", "classmethod")
        for decorator in node.decorators
    )


def _instance_methods(info: ClassInfo) -> list[FunctionInfo]:
    """The methods an instance of ``info`` has (inherited ones included), less
    ``__init__`` and static or class methods, in definition order."""
    found: dict[str, FunctionInfo] = {}
    for cls in _linear_bases(info):
        for name in cls.methods:
            method = info.find_method(name)
            if name != "__init__" and method is not None and not _is_static(method.node):
                found.setdefault(name, method)
    return list(found.values())


def _linear_bases(info: ClassInfo) -> list[ClassInfo]:
    classes = [info]
    for base in info.bases:
        classes += [cls for cls in _linear_bases(base) if cls not in classes]
    return classes


def _first_param(info: FunctionInfo) -> str:
    params = [*info.node.params.posonly_params, *info.node.params.params]
    return params[0].name.value if params else "self"


def _self_assignments(info: FunctionInfo) -> set[str]:
    """Names of ``self.X`` attributes a method assigns."""
    self_name = _first_param(info)
    found: set[str] = set()

    def collect(target: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                collect(element.value)
        elif (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == self_name
        ):
            found.add(target.attr.value)

    for statement in _small_statements(info.node.body):
        if isinstance(statement, cst.Assign):
            for assigned in statement.targets:
                collect(assigned.target)
        elif isinstance(statement, (cst.AugAssign, cst.AnnAssign)):
            collect(statement.target)
    return found


_STAR_EXPORTS = {
    "torch.nn": sorted(torchapi.BARE_NN_NAMES),
    "torch.nn.functional": sorted(
        {n.rsplit(".", 1)[1] for n in torchapi.LOSS_FUNCTIONS}
        | {n.rsplit(".", 1)[1] for n in torchapi.ACTIVATION_FUNCTIONS if "functional" in n}
        | {"one_hot"}
    ),
}


def _star_names(module: str) -> list[str]:
    return _STAR_EXPORTS.get(module, [])
