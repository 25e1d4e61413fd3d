"""The abstract values the analysis gives to expressions.

A :class:`Value` is a set of alternatives (atoms). Joining two values (after a
branch, around a loop) unions their alternatives; rules flag a value only when
*every* alternative is bad, so one unknown path keeps a finding quiet — precision
matters more than recall. Atoms are frozen and hashable so that loops reach a
fixpoint; atoms made by the same expression are equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

import libcst as cst

if TYPE_CHECKING:
    from losslint.analysis.program import ClassInfo, FunctionInfo, SourceFile


class Kind(Enum):
    PROBS = "probabilities"
    LOG_PROBS = "log-probabilities"
    LOGITS = "logits"
    ONE_HOT = "one-hot"
    CLASS_INDEX = "class indices"
    LOSS = "a loss"
    # Facts that are no finding in themselves but become one: a 0/1 mask keeps
    # probabilities probabilities, zeros scattered with 1 and rows of an identity matrix
    # are one-hot, an exponential divided by its own sum is a softmax.
    MASK = "a 0/1 mask"
    ZEROS = "zeros"
    IDENTITY = "an identity matrix"
    EXP = "exponentials"
    SUM = "a sum over a dim"  # of exponentials or probabilities: its origin is theirs
    # What iterating a data loader yields: the elements of a batch. The second of a
    # two-element batch (``for x, y in loader``) is its labels, the others its data.
    BATCH_DATA = "a batch's data"
    BATCH_LABELS = "a batch's labels"
    # ``-p`` of probabilities: only ``log1p(-p)`` reads it, as ``log(1 - p)``.
    NEGATED_PROBS = "negated probabilities"


# The activation of probabilities averaged over models (`torch.stack(ps).mean(0)`): a
# distribution still, but a mixture, whose log has no log_softmax form.
MIXTURE = "mixture"

# Kinds that are no finding in themselves (see Kind).
INTERMEDIATE_KINDS = frozenset({Kind.MASK, Kind.ZEROS, Kind.IDENTITY, Kind.EXP, Kind.SUM})


# Activations (``Tensor.activation``) that name two steps.
COMPLEMENT_OF_SIGMOID = "1 - sigmoid"  # ``1 - sigmoid(z)``: probabilities, sigmoid(-z)
LOG_SOFTMAX_OF_PROBS = "log_softmax of probabilities"  # a double softmax


@dataclass(frozen=True)
class Origin:
    """Where a value was made: a node in a source file, and how it travelled since."""

    node: cst.CSTNode
    source: SourceFile
    what: str  # "softmax", "sigmoid", "nn.Linear", "exp of log_softmax"
    via: tuple[str, ...] = ()  # "returned by Net.forward", "self.head", ...

    def through(self, step: str) -> Origin:
        if step in self.via:
            return self
        return replace(self, via=(*self.via, step))


class Atom:
    """One alternative of a value."""


@dataclass(frozen=True)
class UnknownAtom(Atom):
    pass


UNKNOWN_ATOM = UnknownAtom()


@dataclass(frozen=True)
class Tensor(Atom):
    kind: Kind
    origin: Origin
    activation: str = ""  # softmax, sigmoid, exp, log_softmax, ... ("" for none)
    dim: Any = None  # the dim argument node, when known
    has_graph: bool = True
    stacked: bool = False  # torch.stack of tensors of this kind: `.mean(0)` averages them
    # The clamp to a positive minimum, or the epsilon added, that keeps probabilities
    # off 0 (their log finite): the node, when there is one.
    guard: Any = None


@dataclass(frozen=True)
class ImportRef(Atom):
    """A name bound by an import: ``torch.nn.functional`` or ``numpy.exp``."""

    qualname: str


@dataclass(frozen=True)
class LossModule(Atom):
    function: str  # "cross_entropy"
    class_name: str  # "CrossEntropyLoss"
    call: cst.Call  # the construction
    origin: Origin


@dataclass(frozen=True)
class ActivationModule(Atom):
    activation: str
    class_name: str
    call: cst.Call
    origin: Origin


@dataclass(frozen=True)
class LayerModule(Atom):
    """A torch layer: affine (Linear, Conv), pass-through (Dropout) or other."""

    qualname: str
    origin: Origin


@dataclass(frozen=True)
class SequentialModule(Atom):
    layers: tuple[Value, ...]
    origin: Origin
    # Built from a list whose beginning is not known: ``layers[0]`` stands for any
    # number of layers, so only negative indices name a layer.
    open_start: bool = False


@dataclass(frozen=True)
class Loader(Atom):
    """A ``DataLoader``: iterating it yields batches, ``(data, labels)`` when unpacked in two."""

    origin: Origin


@dataclass(frozen=True)
class ClassRef(Atom):
    info: ClassInfo


@dataclass(frozen=True)
class Instance(Atom):
    """An object of a user class; ``args`` are the constructor arguments worth knowing."""

    info: ClassInfo
    args: tuple[tuple[str | int, Value], ...] = ()
    # Set when no visible code made it: why it is taken to be one (candidates.py).
    assumed: str = ""


@dataclass(frozen=True)
class FunctionRef(Atom):
    info: FunctionInfo


@dataclass(frozen=True)
class BoundMethod(Atom):
    receiver: Instance
    info: FunctionInfo


@dataclass(frozen=True)
class SuperRef(Atom):
    """``super()`` in a method of ``owner``: attributes are looked up past ``owner``."""

    receiver: Instance
    owner: ClassInfo


@dataclass(frozen=True)
class Constant(Atom):
    """A literal: a dict key, an index, an epsilon, a flag, ``None``."""

    value: str | int | float | bool | None


@dataclass(frozen=True)
class Method(Atom):
    """``receiver.name`` where the receiver is a tensor, a torch module or unknown."""

    receiver: Value
    name: str


@dataclass(frozen=True)
class TupleValue(Atom):
    items: tuple[Value, ...]


@dataclass(frozen=True)
class Collection(Atom):
    """A list, dict or generator whose length or keys are not known.

    ``elements``: what any item may be (everything written into it joined); ``tail``:
    its last items in order, when known (``layers.append(nn.Softmax(dim=1))`` after a
    comprehension). What comes before the tail is unknown."""

    elements: Value
    tail: tuple[Value, ...] = ()


@dataclass(frozen=True)
class DictValue(Atom):
    items: tuple[tuple[str, Value], ...]

    def get(self, key: str) -> Value | None:
        for item_key, value in self.items:
            if item_key == key:
                return value
        return None


MAX_ALTERNATIVES = 8


@dataclass(frozen=True)
class Value:
    atoms: frozenset[Atom] = field(default_factory=frozenset)

    @staticmethod
    def of(*atoms: Atom) -> Value:
        return Value(frozenset(atoms))

    def join(self, other: Value) -> Value:
        if not other.atoms:
            return self
        if not self.atoms:
            return other
        joined = self.atoms | other.atoms
        if len(joined) > MAX_ALTERNATIVES:
            return UNKNOWN
        return Value(joined)

    def __iter__(self) -> Iterator[Atom]:
        return iter(self.atoms)

    def __bool__(self) -> bool:
        return bool(self.atoms)

    @property
    def is_unknown(self) -> bool:
        return not self.atoms or UNKNOWN_ATOM in self.atoms

    def all(self, kind: type[Atom]) -> list[Any]:
        """The atoms if every alternative is a ``kind``, else [].

        In no particular order: what needs one (a message) sorts with :func:`in_order`,
        which costs the file's positions and so is paid only when reporting."""
        if not self.atoms or not all(isinstance(atom, kind) for atom in self.atoms):
            return []
        return list(self.atoms)

    def tensors(self) -> list[Tensor]:
        return self.all(Tensor)

    def map(self, function) -> Value:
        """Apply ``function`` (atom -> Value) to each alternative and join the results."""
        result = Value()
        for atom in self.atoms:
            result = result.join(function(atom))
        return result


UNKNOWN = Value.of(UNKNOWN_ATOM)

# The constructor "arguments" of an instance built by some call the analysis cannot
# read (`Net(width)`, or any instance a method is reported for): parameters take their
# defaults, but a literal default only where no visible call passes the parameter.
ANY_CALL_KEY = "*"
ANY_CONSTRUCTION: tuple[tuple[str | int, Value], ...] = ((ANY_CALL_KEY, UNKNOWN),)


def some_instance(info: ClassInfo) -> Instance:
    """An instance of ``info`` built by a call the analysis does not see."""
    return Instance(info, ANY_CONSTRUCTION)


def join_all(values: Iterable[Value]) -> Value:
    result = Value()
    for value in values:
        result = result.join(value)
    return result


def in_order(atoms: Iterable[Any]) -> list[Any]:
    """Atoms by where they were made, so that messages do not depend on hash order."""
    return sorted(atoms, key=_atom_order)


def _atom_order(atom: Atom) -> tuple:
    origin = getattr(atom, "origin", None)
    if origin is None:
        return (1, "", 0, type(atom).__name__)
    return (0, *origin.source.sort_key(origin.node), origin.what, origin.via)


def mixed(tensor: Tensor) -> Tensor:
    """A tensor averaged over models: probabilities become a mixture."""
    origin = tensor.origin.through("averaged over models")
    if tensor.kind is Kind.PROBS:
        return replace(tensor, origin=origin, activation=MIXTURE)
    return replace(tensor, origin=origin)
