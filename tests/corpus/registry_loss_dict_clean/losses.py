"""A loss registry; every entry gets the output it expects."""

import torch.nn as nn

LOSSES = {
    "ce": nn.CrossEntropyLoss,
    "nll": nn.NLLLoss,
    "bce": nn.BCEWithLogitsLoss,
}


def build_loss(name, **kwargs):
    return LOSSES[name](**kwargs)
