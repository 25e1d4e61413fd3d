"""A model (or criterion) nobody in sight binds is taken to be the file's only one,
and the message says so."""

from __future__ import annotations

from pathlib import Path

from corpus_tools import lint_project

from losslint.linter import lint_bytes

CORPUS = Path(__file__).parent / "corpus"


def test_the_message_names_the_assumed_model() -> None:
    (finding,) = lint_project(CORPUS / "unbound_model_imported")
    assert finding.message.startswith(
        "`output` is probabilities (softmax at model.py:17, returned by DigitNet.forward)"
        " — assuming `model` is a `DigitNet`, the only model defined in model.py;"
    )


def test_the_message_names_the_assumed_criterion() -> None:
    (finding,) = lint_project(CORPUS / "unbound_criterion_one_loss")
    assert finding.message.endswith(
        "(assuming `criterion` is the CrossEntropyLoss built at loops.py:8,"
        " the only loss built in loops.py)"
    )


LOG_SOFTMAX_NET = b"""\
import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x):
        return torch.log_softmax(self.fc(x), dim=1)


def run_epoch(net, loader, optimizer):
    net.train()
    for images, labels in loader:
        probs = torch.exp(net(images))
        loss = nn.functional.nll_loss(probs, labels)
        loss.backward()
"""


def test_the_assumption_is_said_through_exp_of_the_models_output() -> None:
    (finding,) = lint_bytes(LOG_SOFTMAX_NET, "mnist_lib.py")
    assert finding.code == "LL004"
    assert "— assuming `net` is a `MLP`, the only model defined in mnist_lib.py" in finding.message
