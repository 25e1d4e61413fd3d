from .losses import FocalLoss, mean_log_prob, nll_of_probs, smoothed_nll

__all__ = ["FocalLoss", "mean_log_prob", "nll_of_probs", "smoothed_nll"]
