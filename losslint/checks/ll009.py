"""LL009 kl-div-mean-reduction."""

from __future__ import annotations

import libcst as cst

from losslint.analysis.events import Argument, CallSite
from losslint.analysis.values import Constant
from losslint.checks.base import Check, torch_callee

# Where ``size_average`` sits among the positional parameters; ``reduce`` and
# ``reduction`` follow it.
_LEGACY_POSITION = {
    "torch.nn.KLDivLoss": 0,  # KLDivLoss(size_average, reduce, reduction, log_target)
    "torch.nn.functional.kl_div": 2,  # kl_div(input, target, size_average, reduce, ...)
}
_UNKNOWN = object()


class KLDivMeanReduction(Check):
    """``KLDivLoss`` / ``F.kl_div`` whose reduction is ``'mean'``, explicitly or by default.

    Reported where the reduction is decided: the ``KLDivLoss(...)`` construction, or
    the ``F.kl_div(...)`` call. The legacy ``size_average``/``reduce`` arguments
    override ``reduction`` (as torch does); any argument whose value is not a literal
    the analysis knows makes the reduction unknown, and nothing is reported.
    """

    code = "LL009"
    needs = (b"kl_div", b"KLDivLoss")

    def on_call(self, site: CallSite) -> None:
        name = torch_callee(site)
        if name not in _LEGACY_POSITION:
            return
        reduction, how = _reduction(site, _LEGACY_POSITION[name])
        if reduction != "mean":
            return
        written = site.context.source.code(site.node.func).strip()
        self.flag(
            site.node,
            site.context.source,
            f"`{written}` with {how} divides the KL divergence by the number of elements "
            "per sample as well as the batch size — pass reduction='batchmean'",
        )


def _reduction(site: CallSite, legacy: int) -> tuple[str | None, str]:
    """The reduction torch will use (None when the call does not say for sure), and
    how the message names where it comes from."""
    if any(arg.star for arg in site.args):
        return None, ""
    size_average = _literal(site.argument(legacy, "size_average"))
    reduce = _literal(site.argument(legacy + 1, "reduce"))
    if size_average is _UNKNOWN or reduce is _UNKNOWN:
        return None, ""
    if size_average is not None or reduce is not None:
        # torch's _Reduction.legacy_get_string: a missing flag counts as True.
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        if size_average and reduce:
            return "mean", "the legacy size_average/reduce flags (reduction='mean')"
        return ("sum" if reduce else "none"), ""
    argument = site.argument(legacy + 2, "reduction")
    if argument is None:
        return "mean", "the default reduction='mean'"
    values = {constant.value for constant in argument.value.all(Constant)}
    if len(values) == 1 and isinstance(next(iter(values)), str):
        return values.pop(), "reduction='mean'"
    return None, ""


def _literal(argument: Argument | None):
    """True/False/None for a literal flag (an absent one is None); _UNKNOWN otherwise."""
    if argument is None:
        return None
    node = argument.node
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    constants = argument.value.all(Constant)
    if len(constants) == 1 and isinstance(constants[0].value, (int, float)):
        return bool(constants[0].value)
    return _UNKNOWN
