"""How a loss turns per-element values into what it returns: ``reduction``.

Written once here so every loss reduces, validates and accepts the deprecated
``size_average``/``reduce`` arguments exactly as ``torch.nn.functional`` does.
"""

from __future__ import annotations

import warnings

from torch import Tensor

REDUCTIONS = ("none", "mean", "sum")


def resolve_reduction(
    reduction: str,
    size_average: bool | None = None,
    reduce: bool | None = None,
    allowed: tuple[str, ...] = REDUCTIONS,
) -> str:
    """The reduction to apply: the legacy pair when either is given, else ``reduction``.

    Raises ``ValueError`` for a name not in ``allowed``, before any work is done.
    """
    if size_average is not None or reduce is not None:
        # torch's legacy rule: each flag defaults to True; reduce=False wins.
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.",
            stacklevel=3,
        )
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def reduce_loss(loss: Tensor, reduction: str, weight_sum: Tensor | None = None) -> Tensor:
    """Apply ``reduction`` to per-element ``loss``.

    ``'mean'`` divides by ``weight_sum`` when given (the weighted mean torch uses for
    class weights and ignored targets), else by the number of elements. An empty
    loss has mean NaN (0/0), as in torch.
    """
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean() if weight_sum is None else loss.sum() / weight_sum
    raise ValueError(f"{reduction} is not a valid value for reduction")
