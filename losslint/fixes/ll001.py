"""LL001 probabilities-into-cross-entropy: drop the softmax or sigmoid."""

from __future__ import annotations

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.drop import drop_activation


def build(finding: Finding) -> Fix | None:
    return drop_activation(finding)
