"""LL006 sigmoid-then-bce: ``BCEWithLogitsLoss`` on the sigmoid's input."""

from __future__ import annotations

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.logits import sigmoid_then_bce


def build(finding: Finding) -> Fix | None:
    return sigmoid_then_bce(finding)
