"""What a tensor holds, read from its values: the fallback when provenance is silent.

Every statistic is built as a 0-d tensor on the tensor's own device and all of a
call's statistics are read back together (``Probe.read``), so a checked call on
CUDA costs one device sync, and an unchecked call none (the per-site budget in
``intercept.py`` decides which calls are checked).

The predicates are strict on purpose (precision over recall): "probabilities"
means every value in [0, 1] AND every row summing to 1 over a dim of size >= 2,
which legitimate logits practically never satisfy.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

# Row sums of probabilities computed in 16-bit floats are off by up to ~2^-9
# relative (bf16), so those dtypes get a looser tolerance than float32/64.
_LOW_PRECISION = (torch.float16, torch.bfloat16)

_is_functorch_wrapped = getattr(
    torch._C._functorch, "is_functorch_wrapped_tensor", lambda tensor: False
)

# Tolerance on row sums of *targets* (LL014): only clearly wrong rows are flagged.
TARGET_ROW_TOLERANCE = 1e-2


def row_tolerance(dtype: torch.dtype) -> float:
    """How far from 1 a row sum of probabilities of this dtype may be."""
    return 1e-2 if dtype in _LOW_PRECISION else 1e-3


def bound_slack(dtype: torch.dtype) -> float:
    """How far outside [0, 1] a probability of this dtype may stray by rounding."""
    return 1e-3 if dtype in _LOW_PRECISION else 1e-5


def readable(tensor: object) -> bool:
    """True for a plain tensor whose values can be read without side effects.

    Tensor subclasses (DTensor, FakeTensor) are left alone: reading them may trigger
    collectives or fail by design. So are functorch's wrappers (inside ``vmap``,
    ``grad``), which are plain ``torch.Tensor``s to ``type()`` but raise "Cannot
    access data pointer" when read; the graph still speaks for them. Meta tensors
    have no values. Empty tensors have no rows to judge.
    """
    return (
        type(tensor) in (torch.Tensor, torch.nn.Parameter)
        and tensor.device.type != "meta"  # type: ignore[attr-defined]
        and tensor.numel() > 0  # type: ignore[attr-defined]
        and not _is_functorch_wrapped(tensor)
    )


def is_functorch_wrapped(tensor: object) -> bool:
    """True for a tensor wrapped by a functorch transform (``vmap``, ``grad``, ``jvp``)."""
    return isinstance(tensor, torch.Tensor) and _is_functorch_wrapped(tensor)


class Probe:
    """Collects scalar statistics lazily and reads them all with one transfer."""

    def __init__(self) -> None:
        self._scalars: list[torch.Tensor] = []
        self._values: list[float] | None = None

    def add(self, scalar: torch.Tensor) -> int:
        """Queue a 0-d tensor; returns the handle to read it by."""
        self._scalars.append(scalar.detach().reshape(()))
        return len(self._scalars) - 1

    def read(self) -> None:
        """Bring every queued statistic to the host (the one sync)."""
        if not self._scalars:
            self._values = []
            return
        device = self._scalars[0].device
        # MPS has no float64; float32 still holds class indices up to 2**24 exactly.
        dtype = torch.float32 if device.type == "mps" else torch.float64
        stacked = torch.stack([s.to(device=device, dtype=dtype) for s in self._scalars])
        self._values = stacked.tolist()

    def __getitem__(self, handle: int) -> float:
        assert self._values is not None, "Probe.read() first"
        return self._values[handle]


@dataclass(frozen=True)
class RowStats:
    """Handles of a tensor's range and of its rows' deviation from summing to 1."""

    minimum: int
    maximum: int
    row_deviation: int | None  # None when the dim is too small to be a class dim


def _normalise_dim(tensor: torch.Tensor, dim: int) -> int | None:
    if tensor.dim() == 0:
        return None
    dim = dim % tensor.dim()
    return dim if tensor.shape[dim] >= 2 else None


def row_stats(
    probe: Probe, tensor: torch.Tensor, dim: int, *, skip_zero_rows: bool = False
) -> RowStats:
    """Queue min, max, and max |sum over ``dim`` - 1| of ``tensor``.

    ``skip_zero_rows`` ignores rows that sum to exactly 0 (targets zeroed out to
    mask positions contribute nothing to a cross-entropy, like ``ignore_index``).
    """
    x = tensor.detach()
    minimum = probe.add(x.amin())
    maximum = probe.add(x.amax())
    d = _normalise_dim(x, dim)
    if d is None:
        return RowStats(minimum, maximum, None)
    sums = x.sum(d, dtype=torch.float32)
    deviation = (sums - 1).abs()
    if skip_zero_rows:
        deviation = torch.where(sums == 0, torch.zeros_like(deviation), deviation)
    return RowStats(minimum, maximum, probe.add(deviation.amax()))


def is_probability_rows(probe: Probe, stats: RowStats, dtype: torch.dtype) -> bool:
    """Every value in [0, 1] and every row summing to 1: a distribution by its values."""
    if stats.row_deviation is None:
        return False
    slack = bound_slack(dtype)
    return (
        probe[stats.minimum] >= -slack
        and probe[stats.maximum] <= 1 + slack
        and probe[stats.row_deviation] <= row_tolerance(dtype)
    )


def strictly_inside(probe: Probe, tensor: torch.Tensor) -> int:
    """Queue "some value lies strictly between 0 and 1".

    A softmax output practically never holds exact 0s and 1s only (that takes a gap
    of ~17 between logits in float32 for every row); hand-written one-hot rows
    (``F.one_hot(y, C).float()``) do, and they are not evidence of a softmax.
    """
    x = tensor.detach()
    return probe.add(((x > 0) & (x < 1)).any())


def out_of_range_spread(probe: Probe, target: torch.Tensor) -> tuple[int, int]:
    """Queue min and max of the values outside [0, 1] (+inf and -inf when there are none).

    Equal min and max mean every out-of-range value is one repeated sentinel
    (``ignore_index=-100``, after label smoothing -79.9), which a loss computed per
    element (``reduction="none"``) leaves to the caller to mask.
    """
    t = target.detach()
    if not t.is_floating_point():
        t = t.double()
    outside = (t < 0) | (t > 1)
    inf = torch.tensor(float("inf"), device=t.device, dtype=t.dtype)
    return probe.add(torch.where(outside, t, inf).amin()), probe.add(
        torch.where(outside, t, -inf).amax()
    )


def one_hot_along(probe: Probe, tensor: torch.Tensor, dim: int) -> int | None:
    """Queue "every value is 0 or 1 and every row along ``dim`` has exactly one 1"."""
    x = tensor.detach()
    d = _normalise_dim(x, dim)
    if d is None or x.dtype == torch.bool:
        return None
    binary = ((x == 0) | (x == 1)).all()
    single = (x.sum(d) == 1).all()
    return probe.add(binary & single)


def class_index_range(probe: Probe, target: torch.Tensor, ignore_index: int) -> tuple[int, int]:
    """Queue min and max of class indices, entries equal to ``ignore_index`` left out."""
    t = target.detach()
    kept = torch.where(t == ignore_index, torch.zeros_like(t), t)
    return probe.add(kept.amin()), probe.add(kept.amax())
