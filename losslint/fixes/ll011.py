"""LL011 module-called-with-data: construct the loss, then call it; or call the function.

``nn.CrossEntropyLoss(out, y)`` -> ``nn.CrossEntropyLoss()(out, y)`` for any loss
class, ``nn.Sigmoid(x)`` -> ``torch.sigmoid(x)``, ``nn.LogSigmoid(x)`` ->
``F.logsigmoid(x)``, ``nn.Softmax2d(x)`` -> ``torch.softmax(x, dim=-3)``. Safe:
the flagged code computed nothing (it built a module, or raised). ``nn.Softmax(x)``
gets no fix: which dim was meant cannot be read from the code.
"""

from __future__ import annotations

import libcst as cst

from losslint.checks.base import Finding
from losslint.diagnostics import Fix
from losslint.fixes.edits import replace
from losslint.fixes.imports import FUNCTIONAL, TORCH, name_module
from losslint.fixes.tree import dotted, tree_of

# Activation class -> (module holding the function, function, extra keyword argument).
_FUNCTIONS = {
    "Sigmoid": (TORCH, "sigmoid", None),
    "LogSigmoid": (FUNCTIONAL, "logsigmoid", None),
    "Softmax2d": (TORCH, "softmax", ("dim", "-3")),
}


def build(finding: Finding) -> Fix | None:
    call = finding.node
    if not isinstance(call, cst.Call):
        return None
    name = (dotted(call.func) or "").rsplit(".", 1)[-1]
    if name.endswith("Loss"):
        written = finding.source.code(call.func).strip()
        new = call.with_changes(func=cst.Call(func=call.func))
        description = f"Construct the loss, then call it: `{written}()(...)`"
        return Fix(description, safe=True, edits=(replace(finding.source, call, new),))
    if name not in _FUNCTIONS or len(call.args) != 1 or call.args[0].keyword is not None:
        return None
    module_name, function, extra = _FUNCTIONS[name]
    module = name_module(finding.source, tree_of(finding.source), module_name)
    if module is None:
        return None
    args = [call.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    if extra is not None:
        keyword, value = extra
        args[0] = args[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(
            cst.Arg(
                cst.parse_expression(value),
                keyword=cst.Name(keyword),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
            )
        )
    new_func = module.attribute(function)
    new = call.with_changes(func=new_func, args=args)
    written = finding.source.module.code_for_node(new_func)
    return Fix(
        f"Call the function `{written}` instead",
        safe=True,
        edits=(replace(finding.source, call, new), *module.edits),
    )
