"""Calls and parameter binding: what calling a user function, method, class or module returns."""

from __future__ import annotations

from dataclasses import replace

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
from losslint.analysis.program import FunctionInfo
from losslint.analysis.syntax import (
    body_of,
    call_argument,
    dotted_name,
    first_input,
    small_statements,
)
from losslint.analysis.values import (
    UNKNOWN,
    ActivationModule,
    Atom,
    BoundMethod,
    ClassRef,
    Constant,
    DictValue,
    FunctionRef,
    ImportRef,
    Instance,
    LayerModule,
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
            return value
        if isinstance(atom, ClassRef):
            instance = Instance(atom.info, constructor_args(args))
            init = atom.info.find_method("__init__")
            if init is not None:
                self._schedule_call(init, instance, args, node, frame)
            if instance.args:
                # Frameworks call the hooks (`training_step`, `fit`) where no call is
                # visible: report on every method with what this construction bound.
                for method in instance_methods(atom.info):
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

    def call_function(
        self, info: FunctionInfo, receiver: Atom | None, args: tuple[Argument, ...]
    ) -> Value:
        """The value a user function or method returns on its training path."""
        if not returns_a_value(info):
            return UNKNOWN
        # Arguments that say nothing are all alike: one summary serves every such call.
        args = tuple(
            a if is_interesting(a.value) else replace(a, value=UNKNOWN, node=info.node)
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
            for param in [*positional, *params.kwonly_params]:
                if param.default is not None and param.name.value not in bound:
                    env[param.name.value] = self.eval(param.default, {}, where)
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
        known = known or any(is_interesting(arg.value) for arg in args)
        if not known:
            return
        key = (info, receiver, tuple((a.keyword, a.star, a.value) for a in args))
        if key in self._scheduled:
            return
        self._scheduled.add(key)
        caller = Caller(node, self._file(frame), info, args)
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
    return bool(value) and all(isinstance(atom, _INTERESTING) for atom in value)


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
    if not any(is_interesting(value) for _, value in kept):
        return ()
    return tuple(kept)


def through(value: Value, step: str) -> Value:
    def one(atom: Atom) -> Value:
        if isinstance(atom, Tensor):
            return Value.of(replace(atom, origin=atom.origin.through(step)))
        if isinstance(atom, TupleValue):
            return Value.of(TupleValue(tuple(through(item, step) for item in atom.items)))
        if isinstance(atom, DictValue):
            return Value.of(DictValue(tuple((k, through(v, step)) for k, v in atom.items)))
        return Value.of(atom)

    return value.map(one)
