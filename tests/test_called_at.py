"""A finding seen through several calls names every call that carries the bad value."""

from __future__ import annotations

from losslint.linter import lint_bytes

TWO_CALLERS = b"""\
import torch.nn as nn
import torch.nn.functional as F


def evaluate(model, loader):
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
    return loss


mlp = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))
cnn = nn.Sequential(nn.Conv2d(1, 3, 3), nn.Flatten(), nn.Softmax(dim=1))
logits = nn.Linear(4, 3)
print(evaluate(mlp, []))
print(evaluate(logits, []))
print(evaluate(cnn, []))
"""


def test_every_call_that_carries_the_bad_value_is_named() -> None:
    (finding,) = lint_bytes(TWO_CALLERS, "evaluate.py")
    assert finding.location.line == 7
    assert finding.message.endswith(
        "(in `evaluate()` as called at evaluate.py:14 and evaluate.py:16)"
    )
    called = [r.line for r in finding.related if "called" in r.note]
    assert called == [14, 16]


def test_a_plain_finding_names_no_call() -> None:
    source = TWO_CALLERS.replace(b"def evaluate(model, loader):", b"def evaluate(_, loader):")
    source = source.replace(b"loss = F", b"model = mlp\n        loss = F")
    (finding,) = lint_bytes(source, "evaluate.py")
    assert "as called at" not in finding.message
