"""LL005 log-of-probabilities: `log(softmax)` -> `log_softmax`, `log(sigmoid)` -> `logsigmoid`."""

from __future__ import annotations

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.logspace import log_of_probabilities


def build(finding: Finding) -> Fix | None:
    return log_of_probabilities(finding)
