"""Late bad batches: every call's target range, after a site's checked calls are spent.

A site is checked in full on its first few calls (``checks_per_site``); a data set
whose masks switch from 0/1 to 0/255 at batch 6 would then pass unseen. So once
the budget is spent, a site whose LL014 can be judged from a range alone (binary
cross-entropy targets in [0, 1]; class indices in [0, C) or ``ignore_index``)
keeps a ``TargetWatch``: each later call writes one ``torch.aminmax`` of its target
into a preallocated slot on the target's own device (no sync, no host read, no
allocation), and every ``FOLD_EVERY`` calls the slots are folded into one running
pair. On CPU, where reading a value costs no sync, the fold also judges it;
elsewhere the running pair is copied to the host without blocking and judged at
the next fold once that copy has landed, or at the end of the run (``flush``: the
outermost ``trace()`` exits, or the pytest plugin ends a test).

Class indices on CPU cost nothing per call: torch itself raises on an index out of
range there, so such a site reads a target only when its call raises, and reports
before the error reaches the user. A per-element BCE (``reduction="none"``) is not
watched: masking its out-of-range targets afterwards is the caller's business (see
``checks._binary_target``). Only min and max are kept, so class indices mixing
``ignore_index`` with another negative value in the same late stretch are missed:
the price of one op per call. Threads calling one site at once may share a slot;
a range can then be missed, never invented.
"""

from __future__ import annotations

from typing import Any

import torch

from losslint.tracer.calls import LossCall
from losslint.tracer.checks import Finding, _class_dim, _fmt, _is_index
from losslint.tracer.errors import LossMisuseError
from losslint.tracer.session import STATE
from losslint.tracer.values import readable

FOLD_EVERY = 64  # calls between folds: bounds the queue, and how late a CPU finding is

_Tensor = torch.Tensor
_aminmax = torch.aminmax
_wrapped = getattr(torch._C._functorch, "is_functorch_wrapped_tensor", lambda tensor: False)


class TargetWatch:
    """The running target range of one call site, and how to judge it."""

    def __init__(
        self,
        call: LossCall,
        after: int,
        report: Any,  # Callable[[Finding, bool], None]: places it at the site (strict?)
    ) -> None:
        self.display = call.display
        self.after = after  # how many calls were checked in full before watching began
        self.report = report
        self.binary = call.function in ("binary_cross_entropy", "binary_cross_entropy_with_logits")
        x = call.input
        self.classes = 0 if self.binary else int(x.shape[_class_dim(x)]) if x.dim() else 0
        self.ignore_index = int(call.option("ignore_index", -100))
        # On CPU torch itself refuses a class index out of range (IndexError), so such
        # a site costs nothing per call: only a call that raises has its target read.
        self.on_error_only = not self.binary and call.target.device.type == "cpu"
        # FOLD_EVERY (min, max) slots on the target's device, written by aminmax(out=):
        # views made once, so a call allocates nothing and a fold is one reduction.
        self.slots: torch.Tensor | None = None
        self.lows: list[torch.Tensor] = []
        self.highs: list[torch.Tensor] = []
        self.filled = 0
        self.low: Any = None  # running min and max: floats on CPU, 0-d tensors elsewhere
        self.high: Any = None
        self.in_flight: tuple[torch.Tensor, Any] | None = None  # (host copy, event)
        self.calls = 0
        self.done = False
        self.strict = False  # whether a finding raises: set on each fold

    def call(
        self,
        name: str,
        original: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        module: Any = None,
    ) -> Any:
        """Make the real loss call, first writing its target's range into the next slot.

        A call of another loss from the same line (a helper given several criteria)
        is not this watch's: ``name`` is the functional or class the wrapper stands
        for. When the real call raises (torch refuses a class index out of range on
        CPU), what the watch has queued is judged first, so the finding comes with
        the error. This runs on every later call of the site: keep it lean.
        """
        if name == self.display and not self.done and not self.on_error_only:
            target = args[1] if len(args) > 1 else kwargs.get("target")
            if type(target) is _Tensor and not _wrapped(target) and target.numel():
                if target.requires_grad:
                    target = target.detach()
                k = self.filled
                try:
                    _aminmax(target, out=(self.lows[k], self.highs[k]))
                except Exception:  # no slots yet, or another dtype/device: make them
                    self._new_slots(target)
                else:
                    self.filled = k + 1
                    self.calls += 1
                    if k + 1 == FOLD_EVERY:
                        self._fold_safely()
        try:
            if module is None:
                return original(*args, **kwargs)
            return original(module, *args, **kwargs)
        except Exception:
            if name == self.display and self.on_error_only and not self.done:
                target = args[1] if len(args) > 1 else kwargs.get("target")
                if type(target) is _Tensor and not _wrapped(target) and target.numel():
                    self._new_slots(target.detach())
            self.flush(STATE.strict)
            raise

    def _new_slots(self, target: torch.Tensor) -> None:
        """Fold what the old slots hold, then make slots like ``target`` and fill one."""
        try:
            self.fold()
            if target.dtype == torch.bool:
                return  # aminmax refuses bool; a 0/1 mask is in range anyway
            # Zeros, not empty: 0 is in range for every watched loss, so a slot a racing
            # thread counts before it is written can hide a range, never invent one.
            self.slots = torch.zeros(2, FOLD_EVERY, dtype=target.dtype, device=target.device)
            self.lows, self.highs = list(self.slots[0].unbind()), list(self.slots[1].unbind())
            _aminmax(target, out=(self.lows[0], self.highs[0]))
            self.filled, self.calls = 1, self.calls + 1
        except LossMisuseError:
            raise
        except Exception:  # the tracer never breaks a training step: stop watching
            self.done = True

    def _fold_safely(self) -> None:
        try:
            self.fold()
        except LossMisuseError:
            raise
        except Exception:
            self.done = True

    def fold(self, strict: bool | None = None) -> None:
        """Reduce the filled slots into the running range; judge it where that is free."""
        self.strict = STATE.strict if strict is None else strict
        if not self.filled or self.slots is None:
            return
        filled = self.slots[:, : self.filled]
        self.filled = 0
        lows, highs = filled[0].amin(), filled[1].amax()
        if lows.device.type == "cpu":  # reading costs no sync here
            low, high = float(lows), float(highs)
            if self.low is not None:
                low, high = min(low, self.low), max(high, self.high)
            self.low, self.high = low, high
            self._judge(low, high)
            return
        lows, highs = lows.double(), highs.double()
        if isinstance(self.low, torch.Tensor) and self.low.device == lows.device:
            lows, highs = torch.minimum(self.low, lows), torch.maximum(self.high, highs)
        self.low, self.high = lows, highs
        self._judge_landed()
        pair = torch.stack([lows, highs])
        host = torch.empty(2, dtype=torch.float64, pin_memory=pair.device.type == "cuda")
        host.copy_(pair, non_blocking=True)
        event = None
        if pair.device.type == "cuda":
            event = torch.cuda.Event()
            event.record()
        self.in_flight = (host, event)

    def _judge_landed(self) -> None:
        """Judge the previous fold's host copy if the device has finished it."""
        if self.in_flight is None:
            return
        host, event = self.in_flight
        if event is not None and not event.query():
            return
        self.in_flight = None
        self._judge(float(host[0]), float(host[1]))

    def flush(self, strict: bool = False) -> None:
        """End of the run: fold what is queued and judge it, syncing once if needed."""
        if self.done:
            return
        self.fold(strict)
        if self.low is not None and not self.done:
            self._judge(float(self.low), float(self.high))

    def _judge(self, low: float, high: float) -> None:
        if self.done:
            return
        finding = self._finding(low, high)
        if finding is not None:
            self.done = True
            self.report(finding, self.strict)

    def _finding(self, low: float, high: float) -> Finding | None:
        later = (
            f"in the calls after the first {self.after} (which were checked in full): "
            f"min {_fmt(low)}, max {_fmt(high)} over {self.calls} later calls"
        )
        if self.binary:
            if low >= 0 and high <= 1:
                return None
            return Finding(
                "LL014",
                f"`{self.display}` target has values outside [0, 1] {later}; binary "
                "cross-entropy targets are probabilities",
                "rescale the targets to [0, 1] (e.g. masks stored as 0/255, labels as -1/1)",
            )
        if high < self.classes and (low >= 0 or low == self.ignore_index):
            return None
        return Finding(
            "LL014",
            f"`{self.display}` target has class indices outside [0, {self.classes}) {later}",
            f"targets must be class indices below the number of classes ({self.classes}), "
            f"or ignore_index ({self.ignore_index})",
        )


def for_call(call: LossCall, after: int, report: Any) -> TargetWatch | None:
    """A watch for the site of ``call`` when its LL014 is a matter of range, else None."""
    y = call.target
    if not isinstance(call.input, torch.Tensor) or not readable(y):
        return None
    if call.function in ("binary_cross_entropy", "binary_cross_entropy_with_logits"):
        if call.reduction == "none" or not y.is_floating_point():
            return None
        return TargetWatch(call, after, report)
    if call.function in ("cross_entropy", "nll_loss") and _is_index(y):
        return TargetWatch(call, after, report)
    return None
