"""Classes and attributes: class bodies, ``self.`` attributes, attribute lookup."""

from __future__ import annotations

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import (
    Argument,
)
from losslint.analysis.frames import (
    Env,
    Frame,
)
from losslint.analysis.program import ClassInfo, FunctionInfo
from losslint.analysis.syntax import (
    body_of,
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
    ImportRef,
    Instance,
    LayerModule,
    Method,
    SequentialModule,
    SuperRef,
    Value,
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

        return base.map(one)

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
            self_name = first_param(init)
            init_args = tuple(
                Argument(keyword=key if isinstance(key, str) else None, value=value, node=init.node)
                for key, value in instance.args
            )
            env = self._bind_parameters(init, instance, init_args)
            frame = Frame(function=init, reporting=False)
            end = self.exec_block(body_of(init.node), env, frame) or env
            prefix = f"{self_name}."
            for key, value in end.items():
                if key.startswith(prefix) and "." not in key[len(prefix) :]:
                    attrs[key[len(prefix) :]] = value
        for name, method in info.methods.items():
            if name == "__init__":
                continue
            for assigned in self_assignments(method):
                if assigned in attrs:
                    attrs[assigned] = attrs[assigned].join(UNKNOWN)
        return attrs


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
