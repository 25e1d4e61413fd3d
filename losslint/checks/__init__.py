"""Every static rule, in catalog order."""

from __future__ import annotations

from losslint.checks.base import Check, Finding, Report
from losslint.checks.ll001 import ProbabilitiesIntoCrossEntropy
from losslint.checks.ll002 import ProbabilitiesIntoBCEWithLogits
from losslint.checks.ll003 import RegressionLossOnClassification
from losslint.checks.ll004 import ProbabilitiesIntoNLL
from losslint.checks.ll005 import LogOfProbabilities
from losslint.checks.ll006 import SigmoidThenBCE
from losslint.checks.ll007 import LogitsIntoBCE
from losslint.checks.ll008 import ProbabilitiesIntoKLDiv
from losslint.checks.ll009 import KLDivMeanReduction
from losslint.checks.ll010 import SoftmaxImplicitDim
from losslint.checks.ll011 import ModuleCalledWithData
from losslint.checks.ll012 import ModelCriterionMismatch
from losslint.checks.ll013 import LossKeptWithGraph
from losslint.checks.ll015 import InputAndTargetSwapped

ALL_CHECKS: tuple[type[Check], ...] = (
    ProbabilitiesIntoCrossEntropy,
    ProbabilitiesIntoBCEWithLogits,
    RegressionLossOnClassification,
    ProbabilitiesIntoNLL,
    LogOfProbabilities,
    SigmoidThenBCE,
    LogitsIntoBCE,
    ProbabilitiesIntoKLDiv,
    KLDivMeanReduction,
    SoftmaxImplicitDim,
    ModuleCalledWithData,
    ModelCriterionMismatch,
    LossKeptWithGraph,
    InputAndTargetSwapped,
)

__all__ = ["ALL_CHECKS", "Check", "Finding", "Report"]
