"""What made a tensor, read from its autograd graph without running anything.

A loss input that requires grad carries ``grad_fn``: the backward node of the op
that produced it. Walking back through view-like nodes (reshapes, indexing, dtype
and device copies) reaches the op that decided the *values*: a softmax, a sigmoid,
a linear layer. This costs a few attribute reads and never touches tensor data,
so it forces no device sync. A tensor with no graph (``torch.no_grad()``, eval
loops, data) has no provenance; the value checks in ``values.py`` decide then.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

# Nodes whose output holds the same numbers as their (first) input, rearranged,
# selected, repeated or cast: a softmax row stays probabilities through them.
# Selection ops are included because a slice of probabilities is still
# probabilities, which is all the checks ask.
VIEW_LIKE: frozenset[str] = frozenset(
    {
        "AliasBackward0",
        "AsStridedBackward0",
        "CloneBackward0",
        "ExpandBackward0",
        "IndexBackward0",
        "IndexSelectBackward0",
        "PermuteBackward0",
        "ReshapeAliasBackward0",
        "SelectBackward0",
        "SliceBackward0",
        "SplitBackward0",
        "SplitWithSizesBackward0",
        "SqueezeBackward0",
        "SqueezeBackward1",
        "SqueezeBackward2",
        "SqueezeBackward3",
        "SqueezeBackward4",
        "TBackward0",
        "ToCopyBackward0",
        "TransposeBackward0",
        "TransposeBackward1",
        "UnbindBackward0",
        "UnsafeViewBackward0",
        "UnsqueezeBackward0",
        "UnsqueezeBackward1",
        "ViewBackward0",
    }
)

# Ops whose output is an unbounded affine function of their input: a model that
# ends in one of these returns logits. Kept to real layers on purpose (``nn.Linear``
# with a bias, convolutions); an ``AddBackward0`` may as well be the average of two
# probabilities, and a ``bmm``/``einsum`` of two probability tensors (attention
# weights times per-part probabilities) is a convex mixture, still in [0, 1].
LINEAR_NODES: frozenset[str] = frozenset(
    {
        "AddmmBackward0",
        "ConvolutionBackward0",
        "LinearBackward0",
    }
)

# A plain matrix product is a layer only when one of its operands is a parameter
# (``nn.Linear(bias=False)`` is ``x @ weight.T``); otherwise the values decide.
_MATMUL_NODES: frozenset[str] = frozenset({"MmBackward0"})

_MAX_WALK = 64  # a view chain longer than this is not a view chain


class Origin(Enum):
    """The kind of value a tensor holds, as far as its graph tells."""

    SOFTMAX = "softmax"  # probabilities over a dim: softmax, or exp of log_softmax
    SIGMOID = "sigmoid"  # elementwise probabilities: sigmoid, or exp of logsigmoid
    LOG_SOFTMAX = "log_softmax"  # log-probabilities
    LINEAR = "linear"  # logits straight out of a linear or convolution layer
    UNKNOWN = "unknown"  # some other op: provenance cannot say, values may
    NO_GRAPH = "no graph"  # no grad_fn at all: values decide

    @property
    def is_probabilities(self) -> bool:
        return self in (Origin.SOFTMAX, Origin.SIGMOID)

    @property
    def undecided(self) -> bool:
        """True when only the values can tell what the tensor holds."""
        return self in (Origin.UNKNOWN, Origin.NO_GRAPH)


@dataclass(frozen=True)
class Provenance:
    """Where a tensor's values come from: the deciding node, and how it was named."""

    origin: Origin
    node: str | None = None  # class name of the deciding backward node
    through_exp: bool = False  # reached as exp(log_softmax) / exp(logsigmoid)

    def describe(self) -> str:
        """Words for a message: ``softmax output``, ``exp of log_softmax output``."""
        if self.origin is Origin.SOFTMAX:
            return "exp of log_softmax output" if self.through_exp else "softmax output"
        if self.origin is Origin.SIGMOID:
            return "exp of logsigmoid output" if self.through_exp else "sigmoid output"
        if self.origin is Origin.LOG_SOFTMAX:
            return "log_softmax output"
        if self.origin is Origin.LINEAR:
            return f"linear-layer output ({self.node})"
        return "unknown"


UNKNOWN = Provenance(Origin.UNKNOWN)
NO_GRAPH = Provenance(Origin.NO_GRAPH)


def _first_input(node: Any) -> Any:
    """The backward node of a node's first differentiable input, or None."""
    for parent, _ in node.next_functions:
        if parent is not None:
            return parent
    return None


def _skip_views(node: Any) -> Any:
    """Follow view-like nodes back to the first node that computes new values."""
    for _ in range(_MAX_WALK):
        if node is None or type(node).__name__ not in VIEW_LIKE:
            return node
        node = _first_input(node)
    return None


def _has_parameter_operand(node: Any) -> bool:
    """True when an operand of ``node`` is, through views, a leaf ``nn.Parameter``."""
    import torch

    for parent, _ in node.next_functions:
        leaf = _skip_views(parent)
        if type(leaf).__name__ == "AccumulateGrad" and isinstance(
            getattr(leaf, "variable", None), torch.nn.Parameter
        ):
            return True
    return False


def provenance(tensor: Any) -> Provenance:
    """Classify ``tensor`` by the op that produced its values (see module docstring)."""
    node = _skip_views(getattr(tensor, "grad_fn", None))
    if node is None:
        return NO_GRAPH
    name = type(node).__name__
    if name == "SoftmaxBackward0":
        return Provenance(Origin.SOFTMAX, name)
    if name == "SigmoidBackward0":
        return Provenance(Origin.SIGMOID, name)
    if name == "LogSoftmaxBackward0":
        return Provenance(Origin.LOG_SOFTMAX, name)
    if name in LINEAR_NODES or (name in _MATMUL_NODES and _has_parameter_operand(node)):
        return Provenance(Origin.LINEAR, name)
    if name == "ExpBackward0":
        inner = _skip_views(_first_input(node))
        inner_name = type(inner).__name__ if inner is not None else None
        if inner_name == "LogSoftmaxBackward0":
            return Provenance(Origin.SOFTMAX, inner_name, through_exp=True)
        if inner_name == "LogSigmoidBackward0":
            return Provenance(Origin.SIGMOID, inner_name, through_exp=True)
    return Provenance(Origin.UNKNOWN, name)
