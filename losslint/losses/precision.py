"""Which floating-point type a loss computes in, and which it returns.

Half-precision inputs (float16, bfloat16) are computed in float32: a log-sum-exp
or a sum over millions of elements in 8 or 11 mantissa bits loses most of the
loss. The result comes back in the type torch's own loss would return: the
promoted type of the inputs, or float32 inside ``torch.autocast`` for the
inputs' device (torch's losses are on autocast's float32 list).
"""

from __future__ import annotations

import contextlib
import functools

import torch
from torch import Tensor

_HALF_TYPES = (torch.float16, torch.bfloat16)


def upcast(*tensors: Tensor | None) -> tuple[list[Tensor | None], torch.dtype]:
    """The tensors cast to the compute type (``None`` stays ``None``), and the result type."""
    present = [t for t in tensors if t is not None]
    result = functools.reduce(torch.promote_types, (t.dtype for t in present))
    if not result.is_floating_point:
        result = torch.get_default_dtype()
    compute = torch.promote_types(result, torch.float32)
    if result in _HALF_TYPES and torch.is_autocast_enabled(present[0].device.type):
        result = torch.float32
    return [None if t is None else t.to(compute) for t in tensors], result


def autocast_off(device_type: str) -> contextlib.AbstractContextManager:
    """Turn autocast off for ``device_type`` while calling a kernel on upcast inputs."""
    if torch.is_autocast_enabled(device_type):
        return torch.autocast(device_type, enabled=False)
    return contextlib.nullcontext()
