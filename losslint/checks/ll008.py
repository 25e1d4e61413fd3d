"""LL008 probabilities-into-kl-div."""

from __future__ import annotations

from losslint.analysis.values import Tensor
from losslint.checks.base import LossInputCheck, is_softmax_output


class ProbabilitiesIntoKLDiv(LossInputCheck):
    """``kl_div`` / ``KLDivLoss`` whose *input* is a softmax, not a log_softmax.

    Only the input: the target is probabilities by default, which is right (with
    ``log_target=True`` a target of probabilities would be a different mistake that
    this rule does not guess at). Sigmoid outputs are left alone, as in LL004: they
    are not a distribution over classes, so ``log_softmax`` would not be the fix.
    """

    code = "LL008"
    needs = (b"kl_div", b"KLDivLoss")
    loss_function = "kl_div"

    def wrong(self, tensor: Tensor) -> bool:
        return is_softmax_output(tensor)

    def advice(self, display: str) -> str:
        return (
            f"{display} expects its input as log-probabilities — use log_softmax instead of softmax"
        )
