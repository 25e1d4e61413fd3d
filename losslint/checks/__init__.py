"""Every static rule, in catalog order."""

from __future__ import annotations

from losslint.checks.base import Check, Finding, Report
from losslint.checks.ll001 import ProbabilitiesIntoCrossEntropy
from losslint.checks.ll002 import ProbabilitiesIntoBCEWithLogits
from losslint.checks.ll003 import RegressionLossOnClassification

ALL_CHECKS: tuple[type[Check], ...] = (
    ProbabilitiesIntoCrossEntropy,
    ProbabilitiesIntoBCEWithLogits,
    RegressionLossOnClassification,
)

__all__ = ["ALL_CHECKS", "Check", "Finding", "Report"]
