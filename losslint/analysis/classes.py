"""Classes and attributes: class bodies, ``self.`` attributes, attribute lookup."""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.conditions import is_none
from losslint.analysis.events import (
    Argument,
)
from losslint.analysis.frames import (
    MAX_CALL_DEPTH,
    Env,
    Frame,
    join_envs,
)
from losslint.analysis.program import ClassInfo, FunctionInfo
from losslint.analysis.syntax import (
    body_of,
    dotted_name,
    first_param,
    is_static,
    small_statements,
)
from losslint.analysis.torch_calls import sequential_layer
from losslint.analysis.values import (
    UNKNOWN,
    ActivationModule,
    Atom,
    BoundMethod,
    ClassRef,
    Constant,
    ImportRef,
    Instance,
    LayerModule,
    Method,
    SequentialModule,
    SuperRef,
    Value,
    some_instance,
)


class Classes:
    """Classes and attributes: class bodies, ``self.`` attributes, attribute lookup."""

    def _exec_ClassDef(self, stmt: cst.ClassDef, env: Env, frame: Frame) -> Env:
        bases: list[ClassInfo] = []
        for arg in stmt.bases:
            for atom in self._resolve(self.eval(arg.value, env, frame), frame):
                if isinstance(atom, ClassRef):
                    bases.append(atom.info)
        body_env: Env = {}
        info = ClassInfo(node=stmt, source=self._file(frame), bases=tuple(bases), body_env=body_env)
        class_frame = Frame(function=None, reporting=frame.reporting)
        for item in body_of(stmt):
            if isinstance(item, cst.FunctionDef):
                closure = dict(env) if frame.function is not None else {}
                method = FunctionInfo(
                    node=item, source=self._file(frame), closure=closure, owner=info
                )
                info.methods[item.name.value] = method
                if frame.reporting:
                    self._pending.append((method, not is_static(item)))
            else:
                scratch = {**env, **body_env}
                after = self.exec_stmt(item, scratch, class_frame)
                if after is not None:
                    body_env.update({k: v for k, v in after.items() if env.get(k) is not v})
        env[stmt.name.value] = Value.of(ClassRef(info))
        return env

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
                if name == "__call__":
                    return Value.of(atom)  # `self.__call__(x)` is `self(x)`
                if name in torchapi.MODULE_SELF_METHODS:
                    # nn.Module's own `to`/`eval`/...: `Net().to(device)` is still the Net.
                    return Value.of(Method(Value.of(atom), name))
                return UNKNOWN
            if isinstance(atom, ClassRef):
                return atom.info.body_env.get(name, UNKNOWN)
            if isinstance(atom, SuperRef):
                return self._super_attribute(atom, name, frame)
            if isinstance(atom, SequentialModule) and name.isdigit():
                return sequential_layer(atom, int(name))
            return Value.of(Method(Value.of(atom), name))

        return without_none(base).map(one)

    def _super_attribute(self, atom: SuperRef, name: str, frame: Frame) -> Value:
        """``super().name``: the first definition past the class whose method asks."""
        for base in atom.owner.bases:
            method = base.find_method(name)
            if method is not None:
                return Value.of(BoundMethod(atom.receiver, method))
            for cls in linear_bases(base):
                if name in cls.body_env:
                    return cls.body_env[name]
        return UNKNOWN

    def _super(self, node: cst.Call, env: Env, frame: Frame) -> Value | None:
        """``super()`` or ``super(Cls, self)`` in a method; None when ``node`` is not one."""
        if not (isinstance(node.func, cst.Name) and node.func.value == "super"):
            return None
        if "super" in env or "super" in self._module_globals(frame):
            return None
        method = frame.function
        if method is None or method.owner is None:
            return UNKNOWN
        owner = method.owner
        if len(node.args) == 2:
            classes = self.eval(node.args[0].value, env, frame).all(ClassRef)
            if len(classes) != 1:
                return UNKNOWN
            owner = classes[0].info
            receiver = self.eval(node.args[1].value, env, frame)
        elif not node.args:
            receiver = self.lookup(first_param(method), env, frame)
        else:
            return UNKNOWN
        instances = receiver.all(Instance)
        if not instances:
            return UNKNOWN
        return Value.of(*(SuperRef(instance, owner) for instance in instances))

    def class_attrs(self, instance: Instance) -> Env:
        """``self.`` attributes as construction leaves them (and class-level names).

        The constructor arguments the instance was made with are bound, so that
        ``Trainer(model, criterion)`` knows its ``self.criterion``; what the helpers
        ``__init__`` calls assign (``self._build()``, ``super().__init__(...)``) counts
        as construction. An attribute one other method assigns, and construction leaves
        unset or ``None``, holds what that method assigns (reading it needs that call: a
        ``setup`` hook, ``add_loss_op()``); any other attribute another method assigns
        may hold anything.
        """
        if instance in self._attrs_memo:
            return self._attrs_memo[instance]
        info = instance.info
        attrs: Env = {}
        self._attrs_memo[instance] = attrs  # a cycle sees what is known so far
        for base in info.bases:
            attrs.update(self.class_attrs(some_instance(base)))
        attrs.update(info.body_env)
        init = info.find_method("__init__")
        constructing: list[FunctionInfo] = []
        if init is not None and (init.owner is info or instance.args):
            init_args = tuple(
                Argument(keyword=key if isinstance(key, str) else None, value=value, node=init.node)
                for key, value in instance.args
            )
            log, self._effects_log = self._effects_log, constructing
            self._constructing += 1
            try:
                effects = self._method_effects(init, instance, init_args, {})
            finally:
                self._effects_log = log
                self._constructing -= 1
            attrs.update(effects or {})
        setters: dict[str, list[FunctionInfo]] = {}
        for name, method in info.methods.items():
            if name == "__init__" or method in constructing or is_static(method.node):
                continue
            for attr in self._self_assignments(method):
                setters.setdefault(attr, []).append(method)
        to_run: dict[FunctionInfo, list[str]] = {}
        for attr, methods in setters.items():
            if len(methods) == 1 and (attr not in attrs or is_none(attrs[attr])):
                to_run.setdefault(methods[0], []).append(attr)  # what reading it needs
            elif attr in attrs:
                attrs[attr] = attrs[attr].join(UNKNOWN)
        for method, assigned in to_run.items():
            effects = self._method_effects(method, instance, (), dict(attrs)) or {}
            for attr in assigned:
                value = effects.get(attr, UNKNOWN)
                attrs[attr] = attrs[attr].join(value) if attr in attrs else value
        for attr, value in attrs.items():
            if value.all(Constant) and self._set_from_outside(info, attr):
                attrs[attr] = value.join(UNKNOWN)
        return attrs

    def _set_from_outside(self, info: ClassInfo, attr: str) -> bool:
        """Whether code other than the class's methods may set ``attr`` (``model.flag =
        False``, ``setattr``): then a literal it holds is not certain (a branch on it is
        not pruned). Read from the text of the class's file and of the linted file."""
        for source in {info.source, self.source}:
            assigned = self._assigned_outside(source)
            if attr in assigned or "*" in assigned:
                return True
        return False

    def _assigned_outside(self, source) -> set[str]:
        """Attribute names the file assigns on something other than ``self``/``cls``;
        everything (``*``) when it uses ``setattr`` or ``__dict__``."""
        found = _OUTSIDE.get(source)
        if found is None:
            text = self._source_text(source)
            if "setattr(" in text or "__dict__" in text:
                found = {"*"}
            else:
                found = {
                    match.group(2)
                    for match in _ATTRIBUTE_STORE.finditer(text)
                    if match.group(1) not in ("self", "cls")
                }
            _OUTSIDE[source] = found
        return found

    def _self_assignments(self, info: FunctionInfo) -> set[str]:
        found = self._assigns_memo.get(info)
        if found is None:
            found = self._assigns_memo[info] = self_assignments(info)
        return found

    def _method_effects(
        self, info: FunctionInfo, receiver: Instance, args: tuple[Argument, ...], seed: Env
    ) -> Env | None:
        """The ``self.`` attributes a method leaves, run on ``receiver`` with ``args``
        from the attributes ``seed`` (what the caller knows); None when not followed."""
        if self._depth >= MAX_CALL_DEPTH or self._calls_left <= 0:
            return None
        key = (info, receiver, "effects")
        if key in self._in_progress:
            return None
        self._calls_left -= 1
        self._effects_log.append(info)
        self_name = first_param(info)
        env = dict(info.closure)
        env.update(self._bind_parameters(info, receiver, args))
        for attr, value in seed.items():
            env[f"{self_name}.{attr}"] = value
        frame = Frame(function=info, reporting=False, keep_return_envs=True)
        self._in_progress.add(key)
        self._depth += 1
        try:
            end = self.exec_block(body_of(info.node), env, frame)
        finally:
            self._depth -= 1
            self._in_progress.discard(key)
        joined = join_envs(end, *frame.return_envs)
        if joined is None:
            return None
        prefix = f"{self_name}."
        return {
            key[len(prefix) :]: value
            for key, value in joined.items()
            if key.startswith(prefix) and "." not in key[len(prefix) :]
        }

    def _call_effects(self, node: cst.Call, callee: Value, args, env: Env, frame: Frame) -> None:
        """``self._build()``, ``model.add_loss_op()``, ``super().__init__(...)``: what the
        called method assigns to its ``self`` is now known of the caller's object."""
        if not isinstance(node.func, cst.Attribute):
            return
        methods = callee.all(BoundMethod)
        if len(methods) != 1:
            return
        method = methods[0]
        owner = node.func.value
        if isinstance(owner, cst.Call) and dotted_name(owner.func) == "super":
            if frame.function is None:
                return
            target = first_param(frame.function)
        else:
            target = dotted_name(owner)
        if target is None:
            return
        assigned = self._self_assignments(method.info)
        if not assigned and method.info.name != "__init__":
            return
        prefix = f"{target}."
        seed = {
            key[len(prefix) :]: value
            for key, value in env.items()
            if key.startswith(prefix) and "." not in key[len(prefix) :]
        }
        for attr in assigned:
            if attr not in seed:
                seed[attr] = self.attribute(Value.of(method.receiver), attr, frame)
        effects = self._method_effects(method.info, method.receiver, args, seed)
        for attr, value in (effects or {}).items():
            if seed.get(attr) is not value:
                env[f"{prefix}{attr}"] = value


_ATTRIBUTE_STORE = re.compile(r"(\w*)\.(\w+)\s*(?:=(?!=)|[-+*/|&]=)")
_OUTSIDE: WeakKeyDictionary = WeakKeyDictionary()


def without_none(value: Value) -> Value:
    """``value`` less its ``None`` alternatives, where reading an attribute of it: on
    that path the read raises (``self.mask = None`` in ``__init__``, a tensor later)."""
    if not any(isinstance(a, Constant) and a.value is None for a in value):
        return value
    kept = [a for a in value if not (isinstance(a, Constant) and a.value is None)]
    return Value.of(*kept) if kept else UNKNOWN


def is_model(atom: Atom) -> bool:
    """Calling it runs a network: a user module with ``forward``, or a torch module."""
    if isinstance(atom, Instance):
        return atom.info.find_method("forward") is not None
    return isinstance(atom, (SequentialModule, LayerModule, ActivationModule))


def instance_methods(info: ClassInfo) -> list[FunctionInfo]:
    """The methods an instance of ``info`` has (inherited ones included), less
    ``__init__`` and static or class methods, in definition order."""
    found: dict[str, FunctionInfo] = {}
    for cls in linear_bases(info):
        for name in cls.methods:
            method = info.find_method(name)
            if name != "__init__" and method is not None and not is_static(method.node):
                found.setdefault(name, method)
    return list(found.values())


def linear_bases(info: ClassInfo) -> list[ClassInfo]:
    classes = [info]
    for base in info.bases:
        classes += [cls for cls in linear_bases(base) if cls not in classes]
    return classes


def self_assignments(info: FunctionInfo) -> set[str]:
    """Names of ``self.X`` attributes a method assigns."""
    self_name = first_param(info)
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

    for statement in small_statements(info.node.body):
        if isinstance(statement, cst.Assign):
            for assigned in statement.targets:
                collect(assigned.target)
        elif isinstance(statement, (cst.AugAssign, cst.AnnAssign)):
            collect(statement.target)
    return found
