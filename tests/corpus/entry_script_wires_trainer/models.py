import torch.nn as nn


def build_classifier(in_features, classes, hidden=64):
    return nn.Sequential(
        nn.Linear(in_features, hidden),
        nn.ReLU(),
        nn.Linear(hidden, classes),
        nn.Softmax(dim=-1),
    )
