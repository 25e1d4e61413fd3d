"""``nn.Module`` wrappers around ``losslint.losses.functional``.

Each takes the constructor arguments of its torch namesake (``CrossEntropyLoss``,
``BCEWithLogitsLoss``, ...), so it is a drop-in replacement; tensors given to the
constructor (``weight``, ``pos_weight``, ``alpha``) are buffers, so they follow the
module through ``.to(device)`` and into its ``state_dict``. The formulas, and when
to use each loss, are in the docstrings of the functions they call.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from losslint.losses import functional as F
from losslint.losses.reduction import resolve_reduction

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
]


class _Loss(nn.Module):
    """Holds ``reduction``, resolved once from the deprecated ``size_average``/``reduce``."""

    reduction: str
    _reductions: tuple[str, ...] = ("none", "mean", "sum")

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        self.reduction = resolve_reduction(reduction, size_average, reduce, self._reductions)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class CrossEntropyLoss(_Loss):
    """Module form of :func:`losslint.losses.cross_entropy`."""

    weight: Tensor | None

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_Loss):
    """Module form of :func:`losslint.losses.nll_loss`."""

    weight: Tensor | None

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
        )


class CrossEntropyFromProbsLoss(_Loss):
    """Module form of :func:`losslint.losses.cross_entropy_from_probs`."""

    weight: Tensor | None

    def __init__(
        self,
        eps: float | None = None,
        *,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction=reduction)
        self.register_buffer("weight", weight)
        self.eps = eps
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, probs: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy_from_probs(
            probs,
            target,
            self.eps,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class BCELoss(_Loss):
    """Module form of :func:`losslint.losses.binary_cross_entropy`."""

    weight: Tensor | None

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Module form of :func:`losslint.losses.binary_cross_entropy_with_logits`."""

    weight: Tensor | None
    pos_weight: Tensor | None

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input,
            target,
            weight=self.weight,
            reduction=self.reduction,
            pos_weight=self.pos_weight,
        )


class KLDivLoss(_Loss):
    """Module form of :func:`losslint.losses.kl_div`. Use ``reduction='batchmean'``."""

    _reductions = ("none", "mean", "sum", "batchmean")

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class MSELoss(_Loss):
    """Module form of :func:`losslint.losses.mse_loss`."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Module form of :func:`losslint.losses.l1_loss`."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Module form of :func:`losslint.losses.huber_loss`."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """Module form of :func:`losslint.losses.smooth_l1_loss`."""

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class TripletMarginLoss(_Loss):
    """Module form of :func:`losslint.losses.triplet_margin_loss`."""

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_loss(
            anchor,
            positive,
            negative,
            margin=self.margin,
            p=self.p,
            eps=self.eps,
            swap=self.swap,
            reduction=self.reduction,
        )


class SigmoidFocalLoss(_Loss):
    """Module form of :func:`losslint.losses.sigmoid_focal_loss` (binary, multi-label).

    Defaults follow torchvision's function, including ``reduction='none'``.
    """

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none") -> None:
        super().__init__(reduction=reduction)
        self.alpha = alpha
        self.gamma = gamma

    def forward(self, inputs: Tensor, targets: Tensor) -> Tensor:
        return F.sigmoid_focal_loss(inputs, targets, self.alpha, self.gamma, self.reduction)


class FocalLoss(_Loss):
    """Module form of :func:`losslint.losses.softmax_focal_loss` (multi-class).

    The focal counterpart of ``CrossEntropyLoss``: same inputs, ``alpha`` in the
    place of ``weight``; ``FocalLoss(gamma=0, alpha=w)`` is ``CrossEntropyLoss(w)``.
    """

    alpha: Tensor | None

    def __init__(
        self,
        alpha: Tensor | Sequence[float] | None = None,
        gamma: float = 2.0,
        reduction: str = "mean",
        ignore_index: int = -100,
    ) -> None:
        super().__init__(reduction=reduction)
        if isinstance(alpha, (int, float)):
            raise TypeError("alpha must hold one weight per class (a tensor or sequence)")
        if alpha is not None and not isinstance(alpha, Tensor):
            alpha = torch.tensor(alpha)
        self.register_buffer("alpha", alpha)
        self.gamma = gamma
        self.ignore_index = ignore_index

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.softmax_focal_loss(
            logits,
            target,
            alpha=self.alpha,
            gamma=self.gamma,
            reduction=self.reduction,
            ignore_index=self.ignore_index,
        )
