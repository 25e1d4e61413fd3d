"""Focal loss for segmentation. With ``from_logits=False`` the input is documented to be
probabilities: they are clamped to [eps, 1 - eps] and their log taken on purpose."""

from typing import Optional

import torch
import torch.nn.functional as F
from torch.nn.modules.loss import _Loss

BINARY_MODE = "binary"
MULTICLASS_MODE = "multiclass"


def focal_loss_with_logits(output, target, gamma=2.0, alpha=None, reduction="mean"):
    target = target.type(output.type())
    logpt = F.binary_cross_entropy_with_logits(output, target, reduction="none")
    pt = torch.exp(-logpt)
    loss = (1.0 - pt).pow(gamma) * logpt
    if alpha is not None:
        loss = loss * (alpha * target + (1 - alpha) * (1 - target))
    return loss.mean() if reduction == "mean" else loss.sum()


class FocalLoss(_Loss):
    def __init__(
        self,
        mode: str,
        alpha: Optional[float] = None,
        gamma: float = 2.0,
        from_logits: bool = True,
        eps: float = 1e-7,
    ):
        """
        Args:
            mode: 'binary' or 'multiclass'
            from_logits: If True, assumes input is raw logits; otherwise probabilities
            eps: Small value used for numerical stability when converting probabilities to logits
        """
        super().__init__()
        self.mode = mode
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.eps = eps

    def forward(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
        if not self.from_logits:
            y_pred = torch.clamp(y_pred, self.eps, 1 - self.eps)
            if self.mode == BINARY_MODE:
                # inverse sigmoid
                y_pred = torch.log(y_pred / (1 - y_pred))
            elif self.mode == MULTICLASS_MODE:
                # convert softmax probabilities to log-space
                y_pred = torch.log(y_pred)

        if self.mode == BINARY_MODE:
            return focal_loss_with_logits(y_pred.reshape(-1), y_true.reshape(-1), self.gamma)

        num_classes = y_pred.size(1)
        loss = 0
        for cls in range(num_classes):
            cls_y_true = (y_true == cls).long()
            loss += focal_loss_with_logits(y_pred[:, cls, ...], cls_y_true, self.gamma, self.alpha)
        return loss
