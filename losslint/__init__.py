"""losslint: catches loss-function misuse in PyTorch code.

The static linter needs only libcst and click. ``trace``, ``LossMisuseWarning``
and ``LossMisuseError`` come from the runtime tracer, which needs torch; they are
imported on first use so that ``import losslint`` never imports torch.
"""

from __future__ import annotations

__version__ = "0.1.0"

_TRACER_EXPORTS = ("trace", "LossMisuseWarning", "LossMisuseError")


def __getattr__(name: str):
    if name in _TRACER_EXPORTS:
        from losslint import tracer

        return getattr(tracer, name)
    raise AttributeError(f"module 'losslint' has no attribute {name!r}")
