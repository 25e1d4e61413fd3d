"""torch.compile (inductor, one graph, no graph breaks) gives the eager values and gradients.

Three representative losses: cross_entropy (log_softmax, gather, ignore_index,
label smoothing), sigmoid_focal_loss (the elementwise softplus/sigmoid/lerp path) and
softmax_focal_loss (per-class alpha, expm1). Inductor compiles C++ on CPU, so these
are skipped where no compiler is found. Compiling costs seconds per graph (tens on a
cold cache and a busy machine), so the three losses share one compiled graph, built
once for the module; deselect these tests with ``-m "not compile"``.
"""

from __future__ import annotations

import os
import shutil

import pytest
import torch

import losslint.losses as L

from .helpers import generator

pytestmark = [
    pytest.mark.compile,
    pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated"),
]


def _inductor_unavailable() -> str | None:
    if not torch._dynamo.is_dynamo_supported():
        return "torch.compile does not support this Python"
    compilers = [os.environ.get("CXX"), "g++", "c++", "clang++"]
    if not any(c and shutil.which(c) for c in compilers):
        return "inductor needs a C++ compiler on CPU; none found"
    return None


_reason = _inductor_unavailable()
if _reason:
    pytest.skip(_reason, allow_module_level=True)

g = generator(7)
LOGITS = torch.randn(8, 5, generator=g) * 4
CLASSES = torch.tensor([0, 4, 2, -100, 1, 3, 3, 0])
WEIGHT = torch.rand(5, generator=g) + 0.5
HARD = torch.rand(8, 5, generator=g).round()
NAMES = ["cross_entropy", "sigmoid_focal_loss", "softmax_focal_loss"]


def three_losses(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return (
        L.cross_entropy(x, CLASSES, WEIGHT, label_smoothing=0.1),
        L.sigmoid_focal_loss(x, HARD, reduction="mean"),
        L.softmax_focal_loss(x, CLASSES.clamp_min(0), alpha=WEIGHT, gamma=2.0),
    )


def values_and_grads(fn) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    x = LOGITS.clone().requires_grad_()
    losses = fn(x)
    grads = [torch.autograd.grad(loss, x, retain_graph=True)[0] for loss in losses]
    return {
        name: (loss.detach(), grad) for name, loss, grad in zip(NAMES, losses, grads, strict=True)
    }


@pytest.fixture(scope="module")
def compiled_and_eager():
    compiled = torch.compile(three_losses, backend="inductor", fullgraph=True, dynamic=False)
    return values_and_grads(compiled), values_and_grads(three_losses)


@pytest.mark.parametrize("name", NAMES)
def test_compiled_loss_matches_eager(name, compiled_and_eager):
    compiled, eager = compiled_and_eager
    torch.testing.assert_close(compiled[name][0], eager[name][0])
    torch.testing.assert_close(compiled[name][1], eager[name][1])
