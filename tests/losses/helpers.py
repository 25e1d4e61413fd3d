"""Helpers for the losses tests: seeded tensors and value-and-gradient comparison."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

Loss = Callable[..., torch.Tensor]


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def leaves(tensors: Sequence[object], grad: Sequence[int], device: str = "cpu") -> list:
    """Fresh copies of ``tensors`` on ``device``; those at positions ``grad`` require grad."""
    out = []
    for i, t in enumerate(tensors):
        if isinstance(t, torch.Tensor):
            t = t.detach().clone().to(device)
            t.requires_grad_(i in grad)
        out.append(t)
    return out


def value_and_grads(
    fn: Loss, tensors: Sequence[object], grad: Sequence[int], device: str = "cpu", **options
) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The loss and the gradients of its sum with respect to ``tensors[i]`` for i in ``grad``."""
    args = leaves(tensors, grad, device)
    loss = fn(*args, **options)
    inputs = [args[i] for i in grad]
    grads = torch.autograd.grad(loss.sum(), inputs, allow_unused=True) if inputs else []
    return loss.detach(), [
        g if g is not None else torch.zeros_like(x) for g, x in zip(grads, inputs, strict=True)
    ]


def assert_same_loss(
    ours: Loss,
    theirs: Loss,
    tensors: Sequence[object],
    grad: Sequence[int] = (0,),
    rtol: float = 1e-7,
    atol: float = 1e-9,
    device: str = "cpu",
    **options,
) -> None:
    """Same value, shape, dtype and gradients from ``ours`` and ``theirs`` on the same inputs."""
    value, grads = value_and_grads(ours, tensors, grad, device, **options)
    expected, expected_grads = value_and_grads(theirs, tensors, grad, device, **options)
    torch.testing.assert_close(value, expected, rtol=rtol, atol=atol, equal_nan=True)
    for position, g, e in zip(grad, grads, expected_grads, strict=True):
        torch.testing.assert_close(
            g, e, rtol=rtol, atol=atol, equal_nan=True, msg=lambda m, i=position: f"grad {i}: {m}"
        )
