"""The model's module imports `nn` and torch's `softmax`; this script imports neither
and has a `softmax` of its own: calls into Scorer must read models.py's names."""

import numpy as np
import torch

from models import Scorer


def softmax(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main(batches):
    model = Scorer(16, 4)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in batches:
        loss = torch.nn.functional.cross_entropy(model(x), y)  # expect: LL001
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(softmax(np.zeros((2, 4))))
