"""What torch's names mean to the analysis.

Every table here is keyed by a canonical dotted name (``torch.nn.CrossEntropyLoss``,
``torch.nn.functional.softmax``). :func:`canonical` folds the many spellings torch
accepts (``torch.nn.modules.loss.CrossEntropyLoss``, ``torch.special.expit``) onto
those keys, so that rules and the interpreter never compare raw strings.
"""

from __future__ import annotations

from dataclasses import dataclass

# Activation functions: canonical name -> what they produce.
ACTIVATION_FUNCTIONS: dict[str, str] = {
    "torch.softmax": "softmax",
    "torch.nn.functional.softmax": "softmax",
    "torch.log_softmax": "log_softmax",
    "torch.nn.functional.log_softmax": "log_softmax",
    "torch.sigmoid": "sigmoid",
    "torch.nn.functional.sigmoid": "sigmoid",
    "torch.nn.functional.logsigmoid": "logsigmoid",
    "torch.exp": "exp",
    "torch.log": "log",
}

# Tensor methods with the same meaning (``x.softmax(-1)``).
ACTIVATION_METHODS: dict[str, str] = {
    "softmax": "softmax",
    "log_softmax": "log_softmax",
    "sigmoid": "sigmoid",
    "exp": "exp",
    "log": "log",
}

_ALIASES: dict[str, str] = {
    "torch.special.softmax": "torch.softmax",
    "torch.special.log_softmax": "torch.log_softmax",
    "torch.special.expit": "torch.sigmoid",
    "torch.special.exp": "torch.exp",
    "torch.Tensor.softmax": "torch.softmax",
    "torch.Tensor.log_softmax": "torch.log_softmax",
    "torch.Tensor.sigmoid": "torch.sigmoid",
    "torch.Tensor.exp": "torch.exp",
    "torch.Tensor.log": "torch.log",
    "torch.nn.functional.one_hot": "torch.nn.functional.one_hot",
}


@dataclass(frozen=True)
class LossSpec:
    """A torch loss: its function name and how a user names its class."""

    function: str  # e.g. "cross_entropy"
    class_name: str  # e.g. "CrossEntropyLoss"


LOSSES: tuple[LossSpec, ...] = (
    LossSpec("cross_entropy", "CrossEntropyLoss"),
    LossSpec("nll_loss", "NLLLoss"),
    LossSpec("binary_cross_entropy", "BCELoss"),
    LossSpec("binary_cross_entropy_with_logits", "BCEWithLogitsLoss"),
    LossSpec("kl_div", "KLDivLoss"),
    LossSpec("mse_loss", "MSELoss"),
    LossSpec("l1_loss", "L1Loss"),
    LossSpec("huber_loss", "HuberLoss"),
    LossSpec("smooth_l1_loss", "SmoothL1Loss"),
)

LOSS_FUNCTIONS: dict[str, LossSpec] = {
    f"torch.nn.functional.{spec.function}": spec for spec in LOSSES
}
LOSS_CLASSES: dict[str, LossSpec] = {f"torch.nn.{spec.class_name}": spec for spec in LOSSES}

# The bytes that betray a loss in a file: what a file must mention to call one.
LOSS_NAME_PATTERNS: tuple[bytes, ...] = tuple(
    name.encode() for spec in LOSSES for name in (spec.function, spec.class_name)
)

REGRESSION_LOSSES = frozenset({"mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"})

# Activation modules: class -> (activation, default dim or None when it must be given).
ACTIVATION_CLASSES: dict[str, str] = {
    "torch.nn.Softmax": "softmax",
    "torch.nn.LogSoftmax": "log_softmax",
    "torch.nn.Sigmoid": "sigmoid",
    "torch.nn.Softmax2d": "softmax",
    "torch.nn.LogSigmoid": "logsigmoid",
}

# Layers whose output is an affine map of their input: unbounded, i.e. logits when last.
AFFINE_LAYERS = frozenset(
    f"torch.nn.{name}"
    for name in (
        "Linear",
        "LazyLinear",
        "Bilinear",
        "Conv1d",
        "Conv2d",
        "Conv3d",
        "LazyConv1d",
        "LazyConv2d",
        "LazyConv3d",
        "ConvTranspose1d",
        "ConvTranspose2d",
        "ConvTranspose3d",
    )
)

# Modules that hand their input on unchanged in kind (dropout keeps probabilities
# probabilities at eval, and the loss is about what the model means, not noise).
PASS_THROUGH_LAYERS = frozenset(
    f"torch.nn.{name}"
    for name in (
        "Identity",
        "Dropout",
        "Dropout1d",
        "Dropout2d",
        "Dropout3d",
        "AlphaDropout",
        "Flatten",
        "Unflatten",
    )
)

SEQUENTIAL_CLASS = "torch.nn.Sequential"

# Methods that keep every value of a tensor as it is (shape, dtype, device, copies):
# an activation before them can change without touching them.
LAYOUT_METHODS = frozenset(
    {
        "bfloat16",
        "clone",
        "contiguous",
        "cpu",
        "cuda",
        "double",
        "expand",
        "expand_as",
        "flatten",
        "float",
        "half",
        "moveaxis",
        "movedim",
        "permute",
        "reshape",
        "reshape_as",
        "squeeze",
        "swapaxes",
        "t",
        "to",
        "transpose",
        "type",
        "type_as",
        "unflatten",
        "unsqueeze",
        "view",
        "view_as",
    }
)
# Calls and methods that keep what a tensor means: the layout ones, and those that
# select, clamp or detach (a clamped probability is still a probability).
PRESERVING_METHODS = LAYOUT_METHODS | frozenset(
    {
        "clamp",
        "clamp_",
        "clamp_max",
        "clamp_min",
        "clip",
        "detach",
        "gather",
        "index_select",
        "narrow",
        "requires_grad_",
        "resize",
        "resize_as",
        "select",
        "squeeze_",
        "take_along_dim",
        "unsqueeze_",
    }
)
PRESERVING_FUNCTIONS = frozenset(
    f"torch.{name}"
    for name in (
        "gather",
        "take_along_dim",
        "index_select",
        "reshape",
        "squeeze",
        "unsqueeze",
        "flatten",
        "permute",
        "transpose",
        "clone",
        "detach",
        "movedim",
        "clamp",
        "clip",
    )
)

# Methods of an nn.Module that return the module itself.
MODULE_SELF_METHODS = frozenset(
    {"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "train", "eval", "type"}
)

# Wrappers whose result runs the module they are given: calling the wrapper returns
# what the wrapped module returns (multi-GPU training, compilation).
MODULE_WRAPPERS = frozenset(
    {
        "torch.nn.DataParallel",
        "torch.nn.parallel.DataParallel",
        "torch.nn.parallel.DistributedDataParallel",
        "torch.compile",
    }
)

# Data loaders: iterating one yields batches (``for x, y in loader``).
LOADER_CLASSES = frozenset(
    {"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"}
)
# Calls that iterate what they are given, element for element (progress bars).
ITERATION_WRAPPERS = frozenset({"tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm"})

# Results of these are class indices (as targets, they are classification labels).
CLASS_INDEX_FUNCTIONS = frozenset({"torch.argmax"})
CLASS_INDEX_METHODS = frozenset({"argmax"})
ONE_HOT_FUNCTIONS = frozenset({"torch.nn.functional.one_hot"})

# Turn a loss tensor into a Python number or a graph-free tensor.
GRAPH_DROPPING_METHODS = frozenset({"item", "detach", "tolist", "cpu_numpy", "numpy"})

# ``torch.nn`` names a snippet with no torch import may use bare (DESIGN.md, "Names").
BARE_NN_NAMES = frozenset(
    [spec.class_name for spec in LOSSES]
    + [name.rsplit(".", 1)[1] for name in ACTIVATION_CLASSES]
    + [name.rsplit(".", 1)[1] for name in AFFINE_LAYERS | PASS_THROUGH_LAYERS]
    + ["Sequential"]
)


def canonical(name: str) -> str:
    """Fold an import path onto the key torch's tables use.

    ``torch.nn.modules.loss.CrossEntropyLoss`` and ``torch.nn.modules.CrossEntropyLoss``
    become ``torch.nn.CrossEntropyLoss``; ``torch.special.expit`` becomes ``torch.sigmoid``.
    """
    if name.startswith("torch.nn.modules."):
        name = "torch.nn." + name.rsplit(".", 1)[1]
    return _ALIASES.get(name, name)


def is_torch(name: str) -> bool:
    return name == "torch" or name.startswith("torch.")
