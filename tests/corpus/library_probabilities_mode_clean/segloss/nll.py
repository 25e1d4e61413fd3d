"""NLL of scores that are already normalised (``input_is_normalized=True`` in the model
config: an ensemble's averaged softmax, a CRF's marginals). The scores are kept off 0 by
a clamp or an epsilon before the log: the functions take probabilities on purpose."""

import torch
import torch.nn.functional as F


def scores_nll_loss(scores, label, eps=1e-6, ignore_index=-100):
    log_scores = torch.log(scores.clamp(min=eps))
    return F.nll_loss(log_scores, label, ignore_index=ignore_index)


def normalized_nll_loss(scores, label, eps=1e-6, reduction="mean"):
    return F.nll_loss((scores + eps).log(), label, reduction=reduction)
