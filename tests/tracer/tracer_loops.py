"""Small real training loops for the tracer's tests, and a way to collect findings."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import torch
from torch import nn

from losslint.tracer import LossMisuseWarning, trace

FEATURES, CLASSES, BATCH = 8, 4, 32


def collect(run: Callable[[], object], **options) -> list[LossMisuseWarning]:
    """Run ``run`` traced; the LossMisuseWarnings it raised, in order."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with trace(summary=False, **options):
            run()
    return [w.message for w in caught if isinstance(w.message, LossMisuseWarning)]


def codes(found: list[LossMisuseWarning]) -> list[str]:
    return sorted(w.code for w in found)


def batches(device: torch.device, steps: int = 3, kind: str = "index"):
    """``steps`` (x, y) batches; y is class indices, multi-label floats or one-hot."""
    generator = torch.Generator().manual_seed(1)
    for _ in range(steps):
        x = torch.randn(BATCH, FEATURES, generator=generator)
        y = torch.randint(0, CLASSES, (BATCH,), generator=generator)
        if kind == "multilabel":
            y = (torch.rand(BATCH, CLASSES, generator=generator) > 0.5).float()
        elif kind == "onehot":
            y = nn.functional.one_hot(y, CLASSES).float()
        yield x.to(device), y.to(device)


def classifier(device: torch.device, *tail: nn.Module) -> nn.Module:
    """A two-layer MLP returning logits, optionally followed by ``tail`` (an activation)."""
    return nn.Sequential(nn.Linear(FEATURES, 16), nn.ReLU(), nn.Linear(16, CLASSES), *tail).to(
        device
    )


def fit(
    model: nn.Module,
    loss_of: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    device: torch.device,
    *,
    steps: int = 3,
    kind: str = "index",
    lr: float = 0.1,
) -> None:
    """A plain SGD loop: forward, ``loss_of(output, y)``, backward, step."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for x, y in batches(device, steps, kind):
        optimizer.zero_grad()
        loss = loss_of(model(x), y)
        loss.backward()
        optimizer.step()


def evaluate(
    model: nn.Module,
    loss_of: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    device: torch.device,
    *,
    kind: str = "index",
) -> float:
    """An eval loop under ``no_grad``: the loss input carries no graph."""
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in batches(device, 2, kind):
            total += float(loss_of(model(x), y))
    return total
