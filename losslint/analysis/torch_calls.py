"""Torch's own API: what calling a torch function, tensor method or module returns."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.arithmetic import clamped
from losslint.analysis.containers import sequence_layers
from losslint.analysis.events import (
    Argument,
)
from losslint.analysis.frames import (
    Env,
    Frame,
)
from losslint.analysis.syntax import (
    call_argument,
    dotted_name,
    first_input,
)
from losslint.analysis.values import (
    LOG_SOFTMAX_OF_PROBS,
    UNKNOWN,
    UNKNOWN_ATOM,
    ActivationModule,
    Atom,
    Collection,
    Constant,
    DictValue,
    ImportRef,
    Instance,
    Kind,
    LayerModule,
    Loader,
    LossModule,
    Method,
    Origin,
    SequentialModule,
    Tensor,
    TupleValue,
    Value,
    mixed,
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
            if len(args) == 1 and args[0].star == "*":
                return sequential_of_list(args[0].value, origin)  # `nn.Sequential(*layers)`
            return Value.of(SequentialModule(sequential_layers(args), origin))
        kept = self._torch_function_kept(name, args, node, frame, origin)
        if kept is not None:
            return kept
        if name in torchapi.PRESERVING_FUNCTIONS:
            short = name.rsplit(".", 1)[1]
            return clamped(self._preserve(first_input(args), short), short, node, 1)
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
        if name in torchapi.LOADER_CLASSES:
            return Value.of(Loader(origin))
        if name in torchapi.ITERATION_WRAPPERS:
            loaders = first_input(args).all(Loader)
            return Value.of(*loaders) if loaders else UNKNOWN  # `tqdm(loader)`
        if torchapi.is_torch(name) and name.startswith("torch.nn.") and is_class_name(name):
            return Value.of(LayerModule(name, origin))
        return UNKNOWN

    def _apply_method(self, atom: Method, args, node: cst.Call, frame: Frame) -> Value:
        name = atom.name
        receiver = atom.receiver
        if name in _KEEPING_METHODS:
            kept = self._tensor_method_kept(receiver, name, args, node, frame)
            if kept is not None:
                return kept
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
            return clamped(self._preserve(receiver, name), name, node, 0)
        if name in _LABEL_DTYPE_METHODS and all(
            isinstance(a, Tensor) and a.kind in _LABEL_KINDS for a in receiver
        ):
            return receiver  # `labels.long()`: still the labels
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
            probs = value.tensors()
            if probs and all(t.kind is Kind.PROBS for t in probs):
                # A double softmax: what was normalised once is normalised again.
                return Value.of(
                    *(
                        Tensor(
                            Kind.LOG_PROBS,
                            t.origin.through("then log_softmax"),
                            LOG_SOFTMAX_OF_PROBS,
                            dim,
                            graph,
                        )
                        for t in probs
                    )
                )
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
        if activation == "exp":
            # Positive and unnormalised; over its own sum it is a softmax (arithmetic.py).
            return Value.of(Tensor(Kind.EXP, origin, "exp", None, graph))
        return UNKNOWN

    def _no_grad_function(self, info) -> bool:
        """Whether a function runs without autograd: ``@torch.no_grad()`` (or
        ``@torch.inference_mode()``) decorates it."""
        for decorator in info.node.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Call):
                expr = expr.func
            if dotted_name(expr) is None:
                continue
            quiet = Frame(function=info, reporting=False)
            if is_no_grad(self.eval(expr, dict(info.closure), quiet)):
                return True
        return False

    def _loss_result(self, node: cst.Call, frame: Frame) -> Value:
        origin = Origin(node, self._file(frame), "loss")
        return Value.of(Tensor(Kind.LOSS, origin, "", has_graph=not frame.no_grad))

    @staticmethod
    def _preserve(value: Value, method: str) -> Value:
        if method in ("clamp", "clamp_", "clip", "clamp_min", "clamp_max"):
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


_LABEL_DTYPE_METHODS = frozenset({"long", "int"})
_LABEL_KINDS = frozenset({Kind.BATCH_LABELS, Kind.CLASS_INDEX, Kind.ONE_HOT})


def batch_of(iterated: Value, node: cst.CSTNode, source) -> Value:
    """What one step of ``for ... in <node>`` binds when ``iterated`` is a data loader: a
    batch, whose second element (of two) is its labels.

    A name nothing visible binds (``def train(model, loader): for x, y in loader:``) is
    taken for a loader too, and the message names it; a call (``zip(a, b)``,
    ``d.items()``) or anything the analysis knows is not."""
    if iterated.all(Loader):
        origin = Origin(node, source, "iterating a DataLoader")
    elif iterated.is_unknown and isinstance(node, (cst.Name, cst.Attribute)):
        origin = Origin(node, source, f"iterating `{dotted_name(node)}`")
    else:
        return UNKNOWN
    data = Tensor(Kind.BATCH_DATA, origin, has_graph=False)
    labels = Tensor(Kind.BATCH_LABELS, origin, has_graph=False)
    return Value.of(TupleValue((Value.of(data), Value.of(labels))))


def sequential_layer(atom: SequentialModule, index: int) -> Value:
    if atom.open_start and index >= 0:
        return UNKNOWN
    if -len(atom.layers) <= index < len(atom.layers):
        return atom.layers[index]
    return UNKNOWN


def sequential_of_list(layers: Value, origin: Origin) -> Value:
    """``nn.Sequential(*layers)``: one Sequential per way the list may have been built."""

    def one(atom: Atom) -> Value:
        layers = sequence_layers(atom)
        if layers is None:
            return Value.of(SequentialModule((UNKNOWN,), origin, open_start=True))
        return Value.of(SequentialModule(layers, origin, open_start=isinstance(atom, Collection)))

    return layers.map(one)


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
    return last[:1].isupper() and last not in _TENSOR_CLASSES


# `nn.Parameter(torch.zeros(d))` is a tensor, not a layer.
_TENSOR_CLASSES = frozenset(
    {"Parameter", "UninitializedParameter", "Buffer", "UninitializedBuffer"}
)


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


# -- values that keep what they are through torch's own calls (real-code idioms) ------

# Tensor methods `_tensor_method_kept` answers for (checked by name first: it is cheap).
_KEEPING_METHODS = frozenset(
    {
        "values",
        "items",
        "mean",
        "sum",
        "scatter",
        "scatter_",
        "zero_",
        "new_zeros",
        "bool",
        "long",
        "int",
        "byte",
    }
)
_MASK_CASTS = frozenset({"bool", "long", "int", "byte", "float", "double", "half", "to", "type"})
# Kinds a stack, a concatenation or an average over models keeps.
_STACKABLE = frozenset({Kind.PROBS, Kind.LOG_PROBS, Kind.LOGITS, Kind.ONE_HOT, Kind.CLASS_INDEX})


class TorchValues:
    """Torch calls that keep what a tensor is: wrappers that run a module, stacking and
    averaging over models, one-hot targets made from zeros or an identity matrix."""

    def _torch_function_kept(
        self, name: str, args: tuple[Argument, ...], node: cst.Call, frame: Frame, origin: Origin
    ) -> Value | None:
        if name in ("torch.nn.ModuleList", "torch.nn.ModuleDict"):
            if not args:
                return Value.of(TupleValue(()) if name.endswith("List") else DictValue(()))
            value = args[0].value
            if name.endswith("Dict") and not value.all(DictValue):
                value = pairs_to_dict(value)
            return value if len(args) == 1 and not args[0].star else UNKNOWN
        if name in ("torch.stack", "torch.cat", "torch.concat", "torch.concatenate"):
            return self._stacked(name, args, node)
        if name == "torch.mean" and args:
            return averaged(args[0].value, call_argument(node, 1, "dim"))
        if name == "torch.sum" and args:
            return normaliser(args[0].value, call_argument(node, 1, "dim"))
        if name in ("torch.zeros", "torch.empty") and any(
            isinstance(a.node, cst.Integer) and a.node.value == "0"
            for a in args
            if a.keyword is None
        ):
            return Value()  # `torch.zeros(n, 0)`: empty, what a concatenation starts from
        if name in ("torch.zeros", "torch.zeros_like"):
            return Value.of(Tensor(Kind.ZEROS, origin, "", has_graph=False))
        if name == "torch.eye":
            return Value.of(Tensor(Kind.IDENTITY, origin, "", has_graph=False))
        if name == "torch.nn.parallel.data_parallel" and len(args) >= 2:
            # `data_parallel(module, inputs, device_ids)`: the module run on the inputs.
            inputs = args[1].value
            tuples = inputs.all(TupleValue)
            items = tuples[0].items if len(tuples) == 1 else (inputs,)
            passed = tuple(Argument(None, item, node) for item in items)
            return args[0].value.map(lambda atom: self.apply(atom, passed, node, frame))
        if name in (
            "torch.utils.checkpoint.checkpoint",
            "torch.utils.checkpoint.checkpoint_sequential",
        ):
            # `checkpoint(fn, *args)` returns `fn(*args)`, recomputed in backward.
            rest = tuple(a for a in args[1:] if a.keyword is None)
            if name.endswith("sequential"):
                rest = rest[1:]
            if not args or args[0].keyword is not None or any(a.star for a in rest):
                return UNKNOWN
            return args[0].value.map(lambda atom: self.apply(atom, rest, node, frame))
        return None

    def _stacked(self, name: str, args: tuple[Argument, ...], node: cst.Call) -> Value:
        """``torch.stack(preds)`` / ``torch.cat(outputs)`` along the first dim of tensors
        that are all of one kind: still that kind (a stack remembers it was one)."""
        if not args or args[0].star or args[0].keyword not in (None, "tensors"):
            return UNKNOWN
        stack = name == "torch.stack"
        dim = call_argument(node, 1, "dim")
        if stack and dim is not None and not (isinstance(dim, cst.Integer) and dim.value == "0"):
            return UNKNOWN  # a concatenation keeps every value along any dim; a stack's
            # average over models needs the new dim to be the first
        items = self.items_of(args[0].value)
        tensors = items.tensors() if items is not None else []
        if not tensors or not all(t.kind in _STACKABLE for t in tensors):
            return UNKNOWN
        return Value.of(*(replace(t, stacked=stack) for t in tensors))

    def _tensor_method_kept(
        self, receiver: Value, name: str, args: tuple[Argument, ...], node: cst.Call, frame: Frame
    ) -> Value | None:
        if name in ("values", "items"):
            return self._collection_method(receiver, name, args)
        if name in ("zero_", "new_zeros") and all(
            isinstance(a, Tensor) or a is UNKNOWN_ATOM for a in receiver
        ):
            origin = Origin(node, self._file(frame), name)
            return Value.of(Tensor(Kind.ZEROS, origin, "", has_graph=False))
        tensors = receiver.tensors()
        if not tensors:
            return None
        kinds = {t.kind for t in tensors}
        if name == "mean":
            return averaged(receiver, call_argument(node, 0, "dim"))
        if name == "sum":
            return normaliser(receiver, call_argument(node, 0, "dim"))
        if name in ("scatter", "scatter_") and kinds == {Kind.ZEROS}:
            return scattered_one(node, self._file(frame))
        if name in _MASK_CASTS and kinds == {Kind.MASK}:
            return receiver
        return None

    def _tensor_after_call(
        self, node: cst.Call, args: tuple[Argument, ...], env: Env, frame: Frame
    ) -> None:
        """In-place calls that change what a name holds: ``onehot.scatter_(1, y, 1)``."""
        method = node.func.attr.value
        if method not in ("scatter_", "zero_"):
            return
        owner = dotted_name(node.func.value)
        if owner is None or owner not in env:
            return
        if method == "zero_":
            origin = Origin(node, self._file(frame), "zero_")
            env[owner] = Value.of(Tensor(Kind.ZEROS, origin, "", has_graph=False))
            return
        if {t.kind for t in env[owner].tensors()} == {Kind.ZEROS}:
            env[owner] = scattered_one(node, self._file(frame)) or UNKNOWN

    def _indexed_tensor(self, atom: Tensor, node: cst.Subscript, sliced: bool) -> Value:
        """``torch.eye(C)[labels]``: rows of an identity matrix picked by label are one-hot."""
        if atom.kind is Kind.IDENTITY and not sliced and len(node.slice) == 1:
            origin = replace(atom.origin, node=node, what="rows of torch.eye")
            return Value.of(Tensor(Kind.ONE_HOT, origin, "one_hot", has_graph=False))
        return Value.of(atom)


def averaged(value: Value, dim) -> Value | None:
    """``torch.stack(probs).mean(0)``: the average over models of one kind of tensor."""
    tensors = value.tensors()
    if not tensors or not all(t.stacked for t in tensors):
        return None
    if not (isinstance(dim, cst.Integer) and dim.value == "0"):
        return None
    return Value.of(*(replace(mixed(t), stacked=False) for t in tensors))


def normaliser(value: Value, dim) -> Value | None:
    """``e.sum(dim, keepdim=True)`` of exponentials or probabilities: what dividing by it
    normalises (arithmetic.py), made where the summed tensor was."""
    tensors = value.tensors()
    if dim is None or not tensors or not all(t.kind in (Kind.EXP, Kind.PROBS) for t in tensors):
        return None
    return Value.of(*(replace(t, kind=Kind.SUM, dim=dim, stacked=False) for t in tensors))


def scattered_one(node: cst.Call, source) -> Value | None:
    """``zeros.scatter_(1, labels.view(-1, 1), 1)``: a one-hot of ``labels``; None for
    any other value, or an index that may hold several columns a row (a multi-hot
    adjacency or label set is no one-hot)."""
    if not one_column(call_argument(node, 1, "index")):
        return None
    value = call_argument(node, 2, "value")
    if value is None or not (
        (isinstance(value, cst.Integer) and value.value == "1")
        or (isinstance(value, cst.Float) and float(value.value) == 1.0)
    ):
        return None
    origin = Origin(node, source, f"{node.func.attr.value} of 1 into zeros")
    return Value.of(Tensor(Kind.ONE_HOT, origin, "one_hot", has_graph=False))


def one_column(index) -> bool:
    """``y.view(-1, 1)``, ``y.unsqueeze(1)``, ``y[:, None]``: one index a row."""
    if isinstance(index, cst.Subscript):
        last = index.slice[-1].slice
        return isinstance(last, cst.Index) and dotted_name(last.value) == "None"
    if not isinstance(index, cst.Call) or not isinstance(index.func, cst.Attribute):
        return False
    method = index.func.attr.value
    if method in ("unsqueeze", "unsqueeze_"):
        return True
    if method in ("view", "reshape") and index.args:
        last = index.args[-1].value
        return isinstance(last, cst.Integer) and last.value == "1"
    return False
