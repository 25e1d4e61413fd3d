"""losslint.losses: reference loss implementations, numerically stable and verified.

What a losslint fix points to when torch has no stable built-in (focal losses,
cross-entropy from probabilities), and the oracle tests use to prove a fix computes
the intended loss. Pure torch: any device (CPU, CUDA, MPS), any floating type,
``torch.autocast`` and ``torch.compile``. Needs the ``runtime`` extra
(``pip install 'torch-losslint[runtime]'``); the static linter never imports it.

Functions (``functional.py``) take the arguments of their ``torch.nn.functional``
namesakes; modules (``modules.py``) those of their ``torch.nn`` namesakes.
``help(losslint.losses.cross_entropy)`` gives the formula, when to use the loss, and
a worked example.
"""

from losslint.losses.functional import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    cross_entropy_from_probs,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    sigmoid_focal_loss,
    smooth_l1_loss,
    softmax_focal_loss,
    triplet_margin_loss,
)
from losslint.losses.modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyFromProbsLoss,
    CrossEntropyLoss,
    FocalLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SigmoidFocalLoss,
    SmoothL1Loss,
    TripletMarginLoss,
)

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyFromProbsLoss",
    "CrossEntropyLoss",
    "FocalLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SigmoidFocalLoss",
    "SmoothL1Loss",
    "TripletMarginLoss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "cross_entropy_from_probs",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "sigmoid_focal_loss",
    "smooth_l1_loss",
    "softmax_focal_loss",
    "triplet_margin_loss",
]
