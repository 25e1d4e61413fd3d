"""LL004 probabilities-into-nll: ``softmax`` -> ``log_softmax``."""

from __future__ import annotations

from dataclasses import replace

from losslint.analysis.events import CallSite
from losslint.analysis.losscalls import loss_call
from losslint.checks.base import Finding
from losslint.checks.ll004 import is_negated
from losslint.diagnostics import Fix
from losslint.fixes.logspace import log_of_loss_input


def build(finding: Finding) -> Fix | None:
    fix = log_of_loss_input(finding)
    if fix is None or not fix.safe or not isinstance(finding.event, CallSite):
        return fix
    call = loss_call(finding.event)
    if call is not None and is_negated(call):
        # `-F.nll_loss(probs, y)` may be meant as the targets' probability: the fix
        # makes it their log-likelihood, which is a different value for all readers.
        note = " (the result is negated: if the targets' probability was meant, this changes it)"
        return replace(fix, safe=False, description=fix.description + note)
    return fix
