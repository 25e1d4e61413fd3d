from .focal import FocalLoss
from .nll import normalized_nll_loss, scores_nll_loss

__all__ = ["FocalLoss", "normalized_nll_loss", "scores_nll_loss"]
