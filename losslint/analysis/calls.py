"""Calls and parameter binding: what calling a user function, method, class or module returns."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from weakref import WeakKeyDictionary

import libcst as cst

from losslint.analysis.classes import instance_methods
from losslint.analysis.events import (
    Argument,
    Caller,
    CallSite,
)
from losslint.analysis.frames import (
    MAX_CALL_DEPTH,
    MAX_CONTEXT_DEPTH,
    Env,
    Frame,
)
from losslint.analysis.program import FunctionInfo, SourceFile
from losslint.analysis.registries import is_torch_class
from losslint.analysis.syntax import (
    body_of,
    call_argument,
    dotted_name,
    first_input,
    is_static,
    small_statements,
)
from losslint.analysis.values import (
    ANY_CALL_KEY,
    ANY_CONSTRUCTION,
    INTERMEDIATE_KINDS,
    UNKNOWN,
    ActivationModule,
    Atom,
    BoundMethod,
    ClassRef,
    Collection,
    Constant,
    DictValue,
    FunctionRef,
    ImportRef,
    Instance,
    LayerModule,
    Loader,
    LossModule,
    Method,
    SequentialModule,
    Tensor,
    TupleValue,
    Value,
    join_all,
)


class Calls:
    """Calls and parameter binding: what calling a user function, method, class or module
    returns."""

    def _eval_Call(self, node: cst.Call, env: Env, frame: Frame) -> Value:
        made = self._super(node, env, frame)
        if made is None:
            made = self._builtin_getattr(node, env, frame)
        if made is not None:
            return made
        callee = explicit_call(self._resolve(self.eval(node.func, env, frame), frame))
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
        builtin = self._builtin_name(node.func, env, frame)
        if builtin is not None:
            result = self._apply_builtin(builtin, args)
        self._after_call(node, callee, args, env, frame)
        if frame.function is None and frame.reporting:
            self._note_module_call(node, callee, args, env)
        if frame.reporting:
            self.listener.on_call(CallSite(node, callee, args, self._context(frame)))
        return result

    def _after_call(self, node: cst.Call, callee: Value, args, env: Env, frame: Frame) -> None:
        """Calls that change what a name holds: ``seq.add_module(name, m)``, ``append``,
        a method that assigns attributes of its object."""
        if not isinstance(node.func, cst.Attribute):
            return
        if any(isinstance(atom, BoundMethod) for atom in callee) and (
            self._constructing or any(is_interesting(arg.value) for arg in args)
        ):
            # In construction (`self._build()`), or a setter given a module or a tensor
            # (`model.set_criterion(nn.NLLLoss())`): otherwise `class_attrs` has what
            # another method assigns.
            self._call_effects(node, callee, args, env, frame)
        method = node.func.attr.value
        owner = dotted_name(node.func.value)
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
        self._container_after_call(node, args, env, frame)
        self._tensor_after_call(node, args, env, frame)

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
            dim = call_argument(atom.call, 0, "dim")
            return self._activate(atom.activation, first_input(args), dim, node, frame, atom.origin)
        if isinstance(atom, LayerModule):
            return self._apply_layer(atom, first_input(args), node)
        if isinstance(atom, SequentialModule):
            value = first_input(args)
            for layer in atom.layers:
                value = layer.map(
                    lambda layer_atom, v=value: self.apply_module(layer_atom, v, node, frame)
                )
            return last_layer_step(atom, value)
        if isinstance(atom, ClassRef):
            instance = Instance(atom.info, constructor_args(args))
            init = atom.info.find_method("__init__")
            if init is not None:
                self._schedule_call(init, instance, args, node, frame, constructs=True)
            if any(is_interesting(value) for _, value in instance.args):
                # Frameworks call the hooks (`training_step`, `fit`) where no call is
                # visible: report on every method with what this construction bound.
                for method in instance_methods(atom.info):
                    self._schedule_call(method, instance, (), node, frame, constructs=True)
            return Value.of(instance)
        if isinstance(atom, Instance):
            forward = atom.info.find_method("forward")
            if forward is None:
                return UNKNOWN
            self._schedule_call(forward, atom, args, node, frame)
            if self.shallow:
                return UNKNOWN
            result = self.call_function(forward, atom, args)
            return through(result, atom.assumed) if atom.assumed else result
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

    def call_function(
        self, info: FunctionInfo, receiver: Atom | None, args: tuple[Argument, ...]
    ) -> Value:
        """The value a user function or method returns on its training path."""
        if not returns_a_value(info):
            return through(self._generated(info, receiver, args), f"yielded by {info.qualname}")
        # Arguments that say nothing are all alike: one summary serves every such call.
        # A literal is kept where the function decides on it (`LOSSES[name]`, `if flag`).
        constants = any(not is_interesting(a.value) and is_worth_keeping(a.value) for a in args)
        selecting = selecting_params(info) if constants else frozenset()
        params = [
            p.name.value for p in (*info.node.params.posonly_params, *info.node.params.params)
        ]
        if receiver is not None:
            params = params[1:]
        kept = []
        for position, a in enumerate(args):
            param = a.keyword or (params[position] if position < len(params) else None)
            keep = is_interesting(a.value) or (
                param in selecting and is_worth_keeping(a.value) and not a.value.all(ClassRef)
            )
            kept.append(a if keep else replace(a, value=UNKNOWN, node=info.node))
        args = tuple(kept)
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
            frame = Frame(
                function=info,
                reporting=False,
                training_only=True,
                no_grad=self._no_grad_function(info),
            )
            end = self.exec_block(body_of(info.node), env, frame)
            returns = list(frame.returns)
            if end is not None or not returns:
                returns.append(UNKNOWN)
            step = f"returned by {info.qualname}"
            result = join_all(through(value, step) for value in returns)
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
            generic = any(arg.keyword == ANY_CALL_KEY for arg in args)
            for index, param in enumerate(positional):
                if param.default is not None and param.name.value not in bound:
                    default = self.eval(param.default, {}, where)
                    if generic and default.all(Constant):
                        default = self._default_for_any_call(info, param, index, default)
                    env[param.name.value] = default
            for param in params.kwonly_params:
                if param.default is not None and param.name.value not in bound:
                    default = self.eval(param.default, {}, where)
                    if generic and default.all(Constant):
                        default = self._default_for_any_call(info, param, None, default)
                    env[param.name.value] = default
        return env

    def _default_for_any_call(
        self, info: FunctionInfo, param: cst.Param, index: int | None, default: Value
    ) -> Value:
        """A literal default in a walk that no one call binds (a method reported on its own,
        an instance built with nothing worth keeping): the default only when no visible
        call could pass another value (DESIGN: a flag's branch is pruned only then)."""
        source = info.source
        text = self._source_text(source)
        keywords = _KEYWORDS.get(source)
        if keywords is None:
            keywords = _KEYWORDS[source] = keyword_counts(text)
        if keywords.get(param.name.value, 0) > 1:
            return UNKNOWN  # `name=` in a call (one is the signature that declares it)
        is_init = info.owner is not None and info.name == "__init__"
        if info.name in ("forward", "__call__"):
            # `model(x, flag)` calls `forward`: such calls are not found by name.
            return default if index is None or index <= 1 else UNKNOWN
        if index is None and is_init:
            return default
        is_method = info.owner is not None and not is_static(info.node)
        position = (index - 1 if is_method else index) if index is not None else 1 << 30
        names = [info.owner.name, "__init__"] if is_init else [info.name]
        shapes = _SHAPES.get(source)
        if shapes is None:
            shapes = _SHAPES[source] = {}
        seen = False
        for name in names:
            if name not in shapes:
                shapes[name] = call_shapes(text, name)
            for positional, star in shapes[name]:
                seen = True
                if star or positional > position:
                    return UNKNOWN
        if not seen and not is_init:
            # No visible call: a framework calls it (`training_step(batch, idx, 0)`).
            return UNKNOWN
        return default

    def _source_text(self, source: SourceFile) -> str:
        """The text of a file, for what only a text search finds cheaply (visible calls)."""
        text = _TEXTS.get(source)
        if text is None:
            text = None
            if source.path.endswith(".py"):
                try:
                    text = Path(source.path).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = None
            if text is None:
                text = source.module.code  # a notebook, or a file read from elsewhere
            _TEXTS[source] = text
        return text

    def _schedule_call(
        self,
        info: FunctionInfo,
        receiver: Atom | None,
        args: tuple[Argument, ...],
        node: cst.Call,
        frame: Frame,
        constructs: bool = False,
    ) -> None:
        """Report on ``info`` again with the values this call binds, when they say more."""
        if not frame.reporting or frame.call_depth >= MAX_CONTEXT_DEPTH:
            return
        known = isinstance(receiver, Instance) and any(
            is_interesting(value) for _, value in receiver.args
        )
        known = known or any(is_interesting(arg.value) for arg in args)
        if not known:
            return
        key = (info, receiver, tuple((a.keyword, a.star, a.value) for a in args))
        if key in self._scheduled:
            return
        self._scheduled.add(key)
        caller = Caller(node, self._file(frame), info, constructs, args)
        self._pending_calls.append((info, receiver, args, caller, frame.call_depth + 1))


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
    Collection,
    Loader,
)


def returns_a_value(info: FunctionInfo) -> bool:
    """Whether a function has a ``return <value>`` of its own (not in a nested def)."""
    if info.returns_value is None:
        info.returns_value = any(
            isinstance(statement, cst.Return) and statement.value is not None
            for statement in small_statements(info.node.body)
        )
    return info.returns_value


def is_interesting(value: Value) -> bool:
    """Whether a value says more than "unknown" — worth a pass with it bound."""
    return bool(value) and all(
        (isinstance(atom, _INTERESTING) or is_torch_class(atom)) and not is_intermediate(atom)
        for atom in value
    )


def is_intermediate(atom: Atom) -> bool:
    """A mask, zeros, exponentials: facts that make a finding only where they are
    combined (arithmetic, ``scatter_``), not worth a pass of their own."""
    return isinstance(atom, Tensor) and atom.kind in INTERMEDIATE_KINDS


class _Selecting(cst.CSTVisitor):
    """Names read where a function decides: tests, subscripts, comparisons."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def _collect(self, node: cst.CSTNode | None) -> None:
        if node is None:
            return
        if isinstance(node, cst.Name):
            self.names.add(node.value)
            return
        for child in node.children:
            self._collect(child)

    def visit_If(self, node: cst.If) -> None:
        self._collect(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._collect(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._collect(node.test)

    def visit_SubscriptElement(self, node: cst.SubscriptElement) -> None:
        self._collect(node.slice)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._collect(node)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self._collect(node.left)


_SELECTING: WeakKeyDictionary[FunctionInfo, frozenset[str]] = WeakKeyDictionary()


def selecting_params(info: FunctionInfo) -> frozenset[str]:
    """The names a function decides on (a registry key, a flag); computed once."""
    found = _SELECTING.get(info)
    if found is None:
        visitor = _Selecting()
        info.node.body.visit(visitor)
        found = _SELECTING[info] = frozenset(visitor.names)
    return found


def is_worth_keeping(value: Value) -> bool:
    """Whether an argument is worth binding: it says something, it is a class made
    later, or a literal that picks a branch or a registry entry (a flag, ``None``, a
    name; not a size). Only what says something asks for a pass of its own."""
    if is_interesting(value) or value.all(ClassRef):
        return True  # a class is made later: `Trainer(Net, ...)`, `build(ResNet, ...)`
    constants = value.all(Constant)
    return bool(constants) and all(
        c.value is None or isinstance(c.value, (str, bool)) for c in constants
    )


def constructor_args(args: tuple[Argument, ...]) -> tuple[tuple[str | int, Value], ...]:
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
    if not any(is_worth_keeping(value) for _, value in kept):
        return ANY_CONSTRUCTION if args else ()
    return tuple(kept)


def last_layer_step(sequential: SequentialModule, value: Value) -> Value:
    """Name the Sequential when its last layer made the value: the layer alone (a
    ``Softmax`` appended to a list) says little about which network it ends."""
    if not sequential.layers:
        return value
    last = {id(getattr(a, "origin", None) and a.origin.node) for a in sequential.layers[-1]}
    code = sequential_display(sequential.origin.node)

    def one(atom: Atom) -> Value:
        if isinstance(atom, Tensor) and id(atom.origin.node) in last:
            return Value.of(replace(atom, origin=atom.origin.through(f"last layer of {code}")))
        return Value.of(atom)

    return value.map(one)


def sequential_display(node: cst.CSTNode) -> str:
    """``nn.Sequential(*layers)`` or ``nn.Sequential(...)``, without generating code."""
    func = dotted_name(node.func) if isinstance(node, cst.Call) else None
    func = func or "nn.Sequential"
    args = node.args if isinstance(node, cst.Call) else ()
    if len(args) == 1 and args[0].star == "*" and dotted_name(args[0].value) is not None:
        return f"{func}(*{dotted_name(args[0].value)})"
    return f"{func}(...)"


def any_call(info: FunctionInfo) -> tuple[Argument, ...]:
    """The arguments of a call the analysis does not see (a function reported on its own,
    a model called with data): see :data:`ANY_CONSTRUCTION`."""
    return (Argument(keyword=ANY_CALL_KEY, value=UNKNOWN, node=info.node.name),)


_TEXTS: WeakKeyDictionary[SourceFile, str] = WeakKeyDictionary()

_EXPLICIT_CALLS = ("forward", "__call__")


def explicit_call(callee: Value) -> Value:
    """``criterion.forward(out, y)`` and ``head.__call__(x)`` call the module itself.

    A callee that is ``None`` on some path raises there: the call is what the other
    paths call (``self.crit = None`` in ``__init__``, a loss set later)."""

    if not any(isinstance(atom, (Method, Constant)) for atom in callee):
        return callee

    def one(atom: Atom) -> Value:
        if isinstance(atom, Method) and atom.name in _EXPLICIT_CALLS:
            if atom.receiver.all(_MODULES):
                return atom.receiver
        return Value.of(atom)

    called = callee.map(one)
    kept = [atom for atom in called if not (isinstance(atom, Constant) and atom.value is None)]
    return Value.of(*kept) if kept else called


_MODULES = (LossModule, ActivationModule, LayerModule, SequentialModule)


def keyword_counts(text: str) -> dict[str, int]:
    """How often each ``name=`` appears as a keyword argument or a parameter default
    (other signatures count too: a careful over-approximation)."""
    counts: dict[str, int] = {}
    for match in _KEYWORD.finditer(text):
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts


_KEYWORD = re.compile(r"[(,]\s*(\w+)\s*(?::[^,=()]*)?=(?!=)")
_KEYWORDS: WeakKeyDictionary[SourceFile, dict[str, int]] = WeakKeyDictionary()
_SHAPES: WeakKeyDictionary[SourceFile, dict[str, list[tuple[int, bool]]]] = WeakKeyDictionary()


def call_shapes(text: str, name: str) -> list[tuple[int, bool]]:
    """For each call of ``name`` in ``text`` (``name(`` or ``.name(``, not its ``def``):
    how many positional arguments it passes, and whether it unpacks ``*``/``**``."""
    shapes: list[tuple[int, bool]] = []
    for match in re.finditer(rf"(?<![\w])(def\s+|class\s+)?{re.escape(name)}\s*\(", text):
        if match.group(1):
            continue
        positional, star = 0, False
        if name == "__init__" and text[max(match.start() - 2, 0) : match.start()] != ").":
            positional = -1  # `Base.__init__(self, ...)` passes `self` first
        depth, start, i = 0, match.end(), match.end()
        pieces: list[str] = []
        quote = ""
        while i < len(text) and i - start < 4000:
            char = text[i]
            if quote:
                if char == "\\":
                    i += 1
                elif char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char in "([{":
                depth += 1
            elif char in ")]}":
                if depth == 0:
                    pieces.append(text[start:i])
                    break
                depth -= 1
            elif char == "," and depth == 0:
                pieces.append(text[start:i])
                start = i + 1
            i += 1
        else:
            star = True  # unparsed: assume the worst
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            if piece.startswith("*"):
                star = True
            elif not re.match(r"[A-Za-z_]\w*\s*=(?!=)", piece):
                positional += 1
        shapes.append((positional, star))
    return shapes


def through(value: Value, step: str) -> Value:
    def one(atom: Atom) -> Value:
        if isinstance(atom, Tensor):
            return Value.of(replace(atom, origin=atom.origin.through(step)))
        if isinstance(atom, TupleValue):
            return Value.of(TupleValue(tuple(through(item, step) for item in atom.items)))
        if isinstance(atom, DictValue):
            return Value.of(DictValue(tuple((k, through(v, step)) for k, v in atom.items)))
        if isinstance(atom, Collection):
            tail = tuple(through(v, step) for v in atom.tail)
            return Value.of(Collection(through(atom.elements, step), tail))
        return Value.of(atom)

    return value.map(one)
