"""When nothing in sight binds the model: the project's one model, assumed.

``def train(model, loader, optimizer)`` in a file whose caller lives elsewhere (a
launcher, a notebook) gets a parameter no visible call binds. When the body really
uses it as a model (calls it with data, ``.train()``, ``.eval()``, ``.parameters()``)
and the project offers exactly one candidate — one ``nn.Module`` subclass with a
``forward`` in the same file, or, when the file defines none, in the modules it
imports — the parameter is taken to be an instance of it, and every message that
rests on it says so. Several candidates, an annotation naming another class, an
``isinstance`` test against another class, a visible call or any other use of the
function's name, a body that builds its own instance of the class: no assumption. A
snippet (no imports) that uses a name it never binds as a model (``net.parameters()``
under ``class Net``) is treated the same way. So is a criterion parameter (called with
an input and a target, the result backpropagated) when the file builds exactly one loss.
"""

from __future__ import annotations

import builtins
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst

from losslint.analysis.frames import Env, Frame
from losslint.analysis.program import FunctionInfo
from losslint.analysis.syntax import body_of, dotted_name, target_names, walk
from losslint.analysis.torchapi import LOSSES
from losslint.analysis.values import ClassRef, ImportRef, Instance, LossModule, Value

# Methods that only a model (an nn.Module) is used with: evidence, unlike `.to(device)`.
MODEL_METHODS = frozenset({"train", "eval", "parameters", "named_parameters"})

BUILTINS = frozenset(dir(builtins))

LOSS_CLASS_NAMES = frozenset(spec.class_name for spec in LOSSES)

# Annotations that say no more than "a model".
MODEL_ANNOTATIONS = frozenset({"Module", "nn.Module", "torch.nn.Module"})


class Candidates:
    """The assumed model of a parameter (or snippet name) nothing binds."""

    def _assumed_models(self, info: FunctionInfo, env: Env) -> Env:
        """Bindings for ``info``'s unbound parameters used as a model, when the file
        offers exactly one model and nothing says otherwise."""
        params = info.node.params
        unbound = [
            param
            for param in (*params.posonly_params, *params.params, *params.kwonly_params)
            if param.default is None and env.get(param.name.value) is not None
        ]
        if info.owner is not None and params.params:
            unbound = [p for p in unbound if p is not params.params[0]]  # self, cls
        if not unbound or self.shallow or info.source is not self.source:
            return {}
        names, attributes, _ = self._name_uses()
        uses = names[info.name] + (attributes[info.name] if info.owner is not None else 0)
        if uses > 1:
            return {}  # called, passed or decorated somewhere: not ours to guess
        evidence = Evidence.of(info.node.body)
        found: Env = {}
        for param in unbound:
            name = param.name.value
            if not env[name].is_unknown:
                continue
            if evidence.criterion(name):
                loss = self._loss_candidate()
                if loss is None or evidence.contradicts(param, loss.class_name):
                    continue
                if loss.class_name in evidence.names:
                    continue  # the function builds its own loss of that class
                where = self.source.location(loss.call).short()
                what = (
                    f"assuming `{name}` is the {loss.class_name} built at {where}, "
                    f"the only loss built in {Path(self.source.path).name}"
                )
                found[name] = Value.of(replace(loss, origin=loss.origin.through(what)))
            elif evidence.model(name):
                candidate = self._model_candidate()
                if candidate is None or evidence.contradicts(param, candidate.info.name):
                    continue
                if candidate.info.name in evidence.names:
                    continue  # the function makes its own model of that class: another one
                if info.owner is not None and candidate.info.node is info.owner.node:
                    continue  # a module whose method takes a model wraps another model
                found[name] = Value.of(assumed(candidate, name, self._defined_in(candidate)))
        return found

    def _loss_candidate(self) -> LossModule | None:
        """The one torch loss this file builds (and no loss class of its own)."""
        if self._loss is False:
            self._loss = None
            calls = self._name_uses()[2]
            if len(calls) == 1:
                frame = Frame(function=None, reporting=False)
                built = self.eval(calls[0], dict(self.globals), frame).all(LossModule)
                self._loss = built[0] if len(built) == 1 else None
        return self._loss

    def _assumed_free_name(self, name: str) -> Value | None:
        """In a snippet, a name never bound but used as a model: the one model class."""
        if not self.snippet or self.shallow or self.listener is None or name in BUILTINS:
            return None  # a module summarised for its imports makes no assumption
        if self._free_models is None:
            self._free_models = free_model_names(self.source.module)
        if name not in self._free_models:
            return None
        candidate = self._model_candidate()
        if candidate is None:
            return None
        return Value.of(assumed(candidate, name, self._defined_in(candidate)))

    def _name_uses(self) -> tuple[Counter, Counter, list[cst.Call]]:
        if self._uses is None:
            self._uses = name_uses(self.source.module)
        return self._uses

    def _defined_in(self, candidate: Instance) -> str:
        return Path(candidate.info.source.path).name

    def _model_candidate(self) -> Instance | None:
        """The one model class of this file, or else of the modules it imports."""
        if self._candidate is False:
            self._candidate = self._find_candidate()
        return self._candidate

    def _find_candidate(self) -> Instance | None:
        local = model_classes(self.source.module)
        if local:
            if len(local) != 1 or not self._is_module_class(local[0], local):
                return None
            refs = self.globals.get(local[0].name.value, Value()).all(ClassRef)
            if len(refs) != 1 or refs[0].info.node is not local[0]:
                return None
            return Instance(refs[0].info)
        if self.project is None:
            return None
        # None here: the modules this file imports (what a re-exporting package's
        # `__init__` names is followed to the module that defines it).
        frame = Frame(function=None, reporting=False)
        found: dict[cst.ClassDef, ClassRef] = {}
        counted: set[cst.ClassDef] = set()
        near = Path(self.source.path)
        modules: set[str] = set()
        for value in self.globals.values():
            for atom in value:
                if isinstance(atom, ImportRef) and not atom.qualname.startswith("torch"):
                    modules.add(atom.qualname)
                    modules.add(atom.qualname.rsplit(".", 1)[0])
        for module in sorted(modules):
            file = self.project.module_file(module, near)
            source = self.project.source(file) if file is not None else None
            if source is None:
                continue
            classes = model_classes(source.module)
            counted.update(classes)
            if len(counted) > 1:
                return None
            for cls in classes:
                resolved = self._resolve(
                    Value.of(ImportRef(f"{module}.{cls.name.value}")), frame
                ).all(ClassRef)
                if len(resolved) == 1 and self._is_module_class(cls, classes):
                    found[cls] = resolved[0]
        if len(counted) != 1 or len(found) != 1:
            return None
        return Instance(next(iter(found.values())).info)

    @staticmethod
    def _is_module_class(cls: cst.ClassDef, local: list[cst.ClassDef]) -> bool:
        return is_module_class(cls, {c.name.value: c for c in local})


def assumed(candidate: Instance, name: str, where: str) -> Instance:
    what = candidate.info.name
    return Instance(
        candidate.info,
        assumed=f"assuming `{name}` is a `{what}`, the only model defined in {where}",
    )


@dataclass
class Evidence:
    """What a function body (not its nested scopes) does with its names."""

    names: set[str] = field(default_factory=set)  # every name it mentions
    called: set[str] = field(default_factory=set)  # `name(x, ...)`
    model_methods: set[str] = field(default_factory=set)  # `name.train()`, `.parameters()`
    loss_results: dict[str, set[str]] = field(default_factory=dict)  # loss = name(a, b)
    backward: set[str] = field(default_factory=set)  # `loss.backward()`
    backpropagated: set[str] = field(default_factory=set)  # `name(a, b).backward()`
    isinstance_of: dict[str, list[str | None]] = field(default_factory=dict)

    @staticmethod
    def of(body: cst.CSTNode) -> Evidence:
        found = Evidence()
        for node in walk(body, scopes=False):
            if isinstance(node, cst.Name):
                found.names.add(node.value)
            elif isinstance(node, cst.Assign):
                callee = _two_argument_callee(node.value)
                if callee is not None:
                    for target in node.targets:
                        for name in target_names(target.target):
                            found.loss_results.setdefault(name, set()).add(callee)
            elif isinstance(node, cst.Call):
                found._call(node)
        return found

    def _call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name):
            if node.args:
                self.called.add(func.value)
            if func.value == "isinstance" and len(node.args) >= 2:
                subject = dotted_name(node.args[0].value)
                classes = node.args[1].value
                names = (
                    [dotted_name(e.value) for e in classes.elements]
                    if isinstance(classes, cst.Tuple)
                    else [dotted_name(classes)]
                )
                if subject is not None:
                    self.isinstance_of.setdefault(subject, []).extend(names)
        elif isinstance(func, cst.Attribute):
            if isinstance(func.value, cst.Name) and func.attr.value in MODEL_METHODS:
                self.model_methods.add(func.value.value)
            if func.attr.value == "backward":
                callee = _two_argument_callee(func.value)
                if callee is not None:
                    self.backpropagated.add(callee)
                self.backward.add(dotted_name(func.value) or "")

    def model(self, name: str) -> bool:
        """Called with data, or ``.train()``, ``.eval()``, ``.parameters()``: a model."""
        return name in self.called or name in self.model_methods

    def criterion(self, name: str) -> bool:
        """Called with an input and a target, and the result backpropagated
        (``loss = criterion(out, y)`` ... ``loss.backward()``): the loss, which a model
        called with two inputs is not."""
        if name in self.backpropagated:
            return True
        return any(name in self.loss_results.get(result, ()) for result in self.backward)

    def contradicts(self, param: cst.Param, candidate: str) -> bool:
        """An annotation or an ``isinstance`` test that names another class than the
        candidate: the code says what the parameter is, and it is not the assumption."""
        if param.annotation is not None:
            annotation = dotted_name(param.annotation.annotation)
            if annotation not in MODEL_ANNOTATIONS and annotation != candidate:
                return True
        tested = self.isinstance_of.get(param.name.value, ())
        return any(n is None or n.rsplit(".", 1)[-1] != candidate for n in tested)


def _two_argument_callee(value: cst.CSTNode) -> str | None:
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and len(value.args) >= 2:
        return value.func.value
    return None


def model_classes(module: cst.Module) -> list[cst.ClassDef]:
    """Every class of a module (nested ones too) that defines ``forward``."""
    found: list[cst.ClassDef] = []
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.ClassDef):
            if any(
                isinstance(item, cst.FunctionDef) and item.name.value == "forward"
                for item in body_of(node)
            ):
                found.append(node)
        if isinstance(node, (cst.Module, cst.ClassDef, cst.FunctionDef, cst.If, cst.Try)):
            stack.extend(body_of(node))
        elif isinstance(node, (cst.IndentedBlock, cst.Else, cst.ExceptHandler, cst.Finally)):
            stack.extend(body_of(node))
        if isinstance(node, (cst.If, cst.Try)):
            stack.extend(
                child
                for child in node.children
                if isinstance(child, (cst.If, cst.Else, cst.ExceptHandler, cst.Finally))
            )
    return found


def is_module_class(
    cls: cst.ClassDef, local: dict[str, cst.ClassDef], seen: frozenset[str] = frozenset()
) -> bool:
    """Whether a class derives from ``nn.Module`` (or ``LightningModule``), directly or
    through a class of the same module."""
    for base in cls.bases:
        name = dotted_name(base.value) or ""
        last = name.rsplit(".", 1)[-1]
        if last.endswith("Module") and last != "ModuleList":
            return True
        if name in local and name not in seen:
            if is_module_class(local[name], local, seen | {cls.name.value}):
                return True
    return False


def name_uses(module: cst.Module) -> tuple[Counter, Counter, list[cst.Call]]:
    """How often each name appears in a module as a plain name, and as an attribute;
    and the constructions of torch losses in it (``nn.CrossEntropyLoss(...)``), where a
    loss class of the module's own counts as one more, so that it is never overlooked."""
    names: Counter = Counter()
    attributes: Counter = Counter()
    losses: list[cst.Call] = []
    for node in walk(module):
        if isinstance(node, cst.Name):
            names[node.value] += 1
        elif isinstance(node, cst.Attribute):
            attributes[node.attr.value] += 1
            names[node.attr.value] -= 1  # walked as a Name as well
        elif isinstance(node, cst.Call):
            name = dotted_name(node.func) or ""
            if name.rsplit(".", 1)[-1] in LOSS_CLASS_NAMES:
                losses.append(node)
        elif isinstance(node, cst.ClassDef) and "loss" in node.name.value.lower():
            losses.append(cst.Call(func=node.name))
    return names, attributes, losses


def free_model_names(module: cst.Module) -> frozenset[str]:
    """Names a snippet never binds but uses as a model at its top level (``.train()``,
    ``.eval()``, ``.parameters()``)."""
    used: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            # Only a model's own methods count: a free name called with data may be any
            # helper the snippet leaves out (`softmax(x)`, `accuracy(out, y)`).
            used |= Evidence.of(statement).model_methods
    if not used:
        return frozenset()
    bound: set[str] = set()
    for node in walk(module):
        if isinstance(node, cst.AssignTarget):
            bound |= target_names(node.target)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor)):
            bound |= target_names(node.target)
        elif isinstance(node, cst.NamedExpr):
            bound |= target_names(node.target)
        elif isinstance(node, cst.AsName):
            bound |= target_names(node.name)
        elif isinstance(node, cst.ImportAlias):
            bound.add((dotted_name(node.name) or "").split(".", 1)[0])
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Param)):
            bound.add(node.name.value)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            bound.update(item.name.value for item in node.names)
    return frozenset(used - bound)
