"""Ignite trainers with models whose outputs suit their criteria: LogSoftmax with
NLLLoss, and a model that returns probabilities only in eval mode with CrossEntropyLoss."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from ignite.engine import create_supervised_trainer


class EvalProbs(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 4)

    def forward(self, x):
        logits = self.fc(x)
        if self.training:
            return logits
        return F.softmax(logits, dim=-1)


def build_trainers():
    log_model = nn.Sequential(nn.Linear(20, 4), nn.LogSoftmax(dim=1))
    nll = nn.NLLLoss()
    opt1 = torch.optim.SGD(log_model.parameters(), lr=0.1)
    trainer1 = create_supervised_trainer(log_model, opt1, nll)

    model = EvalProbs()
    ce = nn.CrossEntropyLoss()
    opt2 = torch.optim.SGD(model.parameters(), lr=0.1)
    trainer2 = create_supervised_trainer(model, opt2, ce)
    return trainer1, trainer2
