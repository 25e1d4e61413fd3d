"""LL002 probabilities-into-bce-with-logits: drop the sigmoid or softmax."""

from __future__ import annotations

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.drop import drop_activation


def build(finding: Finding) -> Fix | None:
    return drop_activation(finding)
