"""LL009 kl-div-mean-reduction: ``reduction="batchmean"``.

The finding is the ``KLDivLoss(...)`` construction or the ``F.kl_div(...)`` call
itself. The fix replaces ``reduction='mean'`` (keeping its quotes) or adds
``reduction="batchmean"`` after the last argument. When the legacy
``size_average``/``reduce`` flags are passed (they override ``reduction``), or
positional options leave it unclear which parameter is which, no fix is offered.
"""

from __future__ import annotations

import libcst as cst

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.edits import replace
from losslint.fixes.tree import dotted

_LEGACY = frozenset({"size_average", "reduce"})


def build(finding: Finding) -> Fix | None:
    call = finding.node
    if not isinstance(call, cst.Call) or any(arg.star for arg in call.args):
        return None
    name = (dotted(call.func) or "").rsplit(".", 1)[-1]
    # ``KLDivLoss(size_average, reduce, reduction, ...)``; ``kl_div(input, target, ...)``.
    positional_options = 0 if name == "KLDivLoss" else 2
    positional = [arg for arg in call.args if arg.keyword is None]
    keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
    if len(positional) > positional_options or _LEGACY & set(keywords):
        return None
    description = 'Use reduction="batchmean": the KL divergence per sample, averaged'
    current = keywords.get("reduction")
    if current is not None:
        quote = current.value.quote if isinstance(current.value, cst.SimpleString) else '"'
        value = cst.SimpleString(f"{quote}batchmean{quote}")
        return Fix(description, safe=True, edits=(replace(finding.source, current.value, value),))
    added = _with_reduction(call)
    if added is None:
        return None
    return Fix(description, safe=True, edits=(replace(finding.source, call, added),))


def _with_reduction(call: cst.Call) -> cst.Call | None:
    """``call`` with ``reduction="batchmean"`` after its last argument, in its layout."""
    value = cst.SimpleString('"batchmean"')
    equal = cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[cst.Arg(value, keyword=cst.Name("reduction"), equal=equal)])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        # A trailing comma: one argument per line. Copy the separator between the last
        # two arguments (or bail out when there is only one to copy from).
        if len(args) < 2 or not isinstance(args[-2].comma, cst.Comma):
            return None
        new = cst.Arg(value, keyword=cst.Name("reduction"), equal=equal, comma=last.comma)
        args[-1] = last.with_changes(comma=args[-2].comma)
        return call.with_changes(args=[*args, new])
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    new = cst.Arg(
        value,
        keyword=cst.Name("reduction"),
        equal=equal,
        whitespace_after_arg=last.whitespace_after_arg,
    )
    args[-1] = last.with_changes(comma=comma, whitespace_after_arg=cst.SimpleWhitespace(""))
    return call.with_changes(args=[*args, new])
