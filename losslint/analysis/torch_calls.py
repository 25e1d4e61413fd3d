"""Torch's own API: what calling a torch function, tensor method or module returns."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import (
    Argument,
)
from losslint.analysis.frames import (
    Frame,
)
from losslint.analysis.syntax import (
    call_argument,
    first_input,
)
from losslint.analysis.values import (
    UNKNOWN,
    UNKNOWN_ATOM,
    ActivationModule,
    Constant,
    DictValue,
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
)


class TorchCalls:
    """Torch's own API: what calling a torch function, tensor method or module returns."""

    def _apply_import(self, atom: ImportRef, args, node: cst.Call, frame: Frame) -> Value:
        name = torchapi.canonical(atom.qualname)
        if name in torchapi.ACTIVATION_FUNCTIONS:
            dim = call_argument(node, 1, "dim")
            origin = Origin(node, self._file(frame), torchapi.ACTIVATION_FUNCTIONS[name])
            return self._activate(
                torchapi.ACTIVATION_FUNCTIONS[name], first_input(args), dim, node, frame, origin
            )
        if name in torchapi.LOSS_FUNCTIONS:
            return self._loss_result(node, frame)
        origin = Origin(node, self._file(frame), short_torch_name(name))
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
            return Value.of(SequentialModule(sequential_layers(args), origin))
        if name in torchapi.PRESERVING_FUNCTIONS:
            return self._preserve(first_input(args), name.rsplit(".", 1)[1])
        if name in torchapi.ONE_HOT_FUNCTIONS:
            return Value.of(Tensor(Kind.ONE_HOT, origin, "one_hot", has_graph=False))
        if name in torchapi.CLASS_INDEX_FUNCTIONS:
            return Value.of(Tensor(Kind.CLASS_INDEX, origin, "argmax", has_graph=False))
        if name == "torch.max" and len(args) >= 2:
            indices = Tensor(Kind.CLASS_INDEX, origin, "max", has_graph=False)
            return Value.of(TupleValue((UNKNOWN, Value.of(indices))))
        if name in ("collections.OrderedDict", "dict") and args:
            return pairs_to_dict(args[0].value)
        if name in torchapi.MODULE_WRAPPERS:
            return first_input(args)  # `DataParallel(model)`, `torch.compile(model)`: the model
        if torchapi.is_torch(name) and name.startswith("torch.nn.") and is_class_name(name):
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
            dim = call_argument(node, 0, "dim")
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
        # What the input's kind rests on (a model assumed where none is in sight) stays said.
        assumed = tuple(
            dict.fromkeys(s for t in inputs for s in t.origin.via if s.startswith("assuming "))
        )
        origin = replace(origin, via=(*origin.via, *assumed))
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


def sequential_layer(atom: SequentialModule, index: int) -> Value:
    if -len(atom.layers) <= index < len(atom.layers):
        return atom.layers[index]
    return UNKNOWN


def sequential_layers(args: tuple[Argument, ...]) -> tuple[Value, ...]:
    if any(arg.star or arg.keyword for arg in args):
        return (UNKNOWN,)
    if len(args) == 1:
        dicts = args[0].value.all(DictValue)
        if len(dicts) == 1:
            return tuple(value for _, value in dicts[0].items)
    return tuple(arg.value for arg in args)


def pairs_to_dict(value: Value) -> Value:
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


_NO_GRAD = frozenset({"torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad"})


def is_no_grad(callee: Value) -> bool:
    return any(
        isinstance(atom, ImportRef) and torchapi.canonical(atom.qualname) in _NO_GRAD
        for atom in callee
    )


def is_class_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last[:1].isupper()


def short_torch_name(name: str) -> str:
    if name.startswith("torch.nn.functional."):
        return "F." + name.rsplit(".", 1)[1]
    if name.startswith("torch.nn."):
        return "nn." + name.rsplit(".", 1)[1]
    return name


def training_branch(test: cst.BaseExpression) -> bool | None:
    """True when ``test`` holds in training (``self.training``), False when it fails."""
    if isinstance(test, cst.Attribute) and test.attr.value == "training":
        return True
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = training_branch(test.expression)
        return None if inner is None else not inner
    return None
