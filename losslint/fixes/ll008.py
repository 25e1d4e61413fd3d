"""LL008 probabilities-into-kl-div: ``softmax`` -> ``log_softmax`` for the input."""

from __future__ import annotations

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.logspace import log_of_loss_input


def build(finding: Finding) -> Fix | None:
    return log_of_loss_input(finding)
