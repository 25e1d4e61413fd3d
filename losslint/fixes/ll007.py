"""LL007 logits-into-bce: ``BCELoss`` -> ``BCEWithLogitsLoss`` (unsafe)."""

from __future__ import annotations

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.logits import logits_into_bce


def build(finding: Finding) -> Fix | None:
    return logits_into_bce(finding)
