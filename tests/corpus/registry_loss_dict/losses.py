"""A loss registry indexed by the name in the config, as in many research repos."""

import torch.nn as nn

LOSSES = {
    "ce": nn.CrossEntropyLoss,
    "nll": nn.NLLLoss,
    "bce": nn.BCEWithLogitsLoss,
    "mse": nn.MSELoss,
}


def build_loss(name, **kwargs):
    if name not in LOSSES:
        raise KeyError(f"unknown loss {name}")
    return LOSSES[name](**kwargs)
