"""Computing log-probabilities in log space (LL004, LL005, LL008).

``NLLLoss`` and ``KLDivLoss`` want log-probabilities, and ``torch.log`` of a
softmax or sigmoid output underflows: the repair is the activation's log-space
twin, computed from the same logits in one stable step —
``softmax`` -> ``log_softmax`` (same dim), ``sigmoid`` -> ``F.logsigmoid``,
``exp(log_probs)`` -> ``log_probs``. The twin replaces the use (the loss input,
or the whole ``torch.log(...)``); the activation's variable stays when other code
reads it. An activation module in a model (``nn.Softmax`` in a ``Sequential`` or
an attribute) becomes ``nn.LogSoftmax``: unsafe, every caller then gets
log-probabilities.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import libcst as cst

from losslint.analysis.program import SourceFile
from losslint.analysis.syntax import call_argument as _argument
from losslint.analysis.values import Origin
from losslint.checks.base import Finding
from losslint.diagnostics import Edit, Fix
from losslint.fixes.activation import (
    Application,
    Reach,
    reach,
    rewrite,
    single_origin,
    strip_shape_calls,
    substitute,
)
from losslint.fixes.edits import replace
from losslint.fixes.imports import FUNCTIONAL, NN, name_module, resolve
from losslint.fixes.tree import Tree, comments, dotted, tree_of

_EPS_METHODS = frozenset({"clamp", "clamp_min", "clip"})


@dataclass(frozen=True)
class Twin:
    """The log-space expression, the edits it needs elsewhere (an import), and what it does."""

    expression: cst.BaseExpression
    edits: tuple[Edit, ...]
    description: str


def log_of_loss_input(finding: Finding) -> Fix | None:
    """LL004/LL008: the loss input is probabilities; give it log-probabilities."""
    origin = single_origin(finding)
    if origin is None or not isinstance(finding.node, cst.Call):
        return None
    tree = tree_of(finding.source)
    argument = _argument(finding.node, 0, "input")
    if argument is None:
        return None
    use, receiver = strip_shape_calls(argument, origin)
    found = reach(finding.source, tree, origin, use)
    if found is not None:
        twins: list[Twin] = []

        def build(applied: Application) -> cst.BaseExpression | None:
            twin = log_twin(finding.source, tree, applied, softmax_only=True)
            if twin is None:
                return None
            twins.append(twin)
            return twin.expression

        expression = rewrite(finding, found, tree, build)
        if expression is not None and twins:
            edits = substitute(finding, found, expression, receiver) + twins[0].edits
            return Fix(twins[0].description, safe=True, edits=edits)
        fix = _at_assignment(finding, found, tree)
        if fix is not None:
            return fix
    return _log_module(finding, origin, tree)


def _at_assignment(finding: Finding, found: Reach, tree: Tree) -> Fix | None:
    """``probs = F.softmax(x / t, 1)`` that only the loss reads, when the twin cannot
    move to the use (what it computes might change on the way): the twin replaces the
    activation where it is. Safe: no other code sees the variable's new value."""
    if found.assignment is None or not found.only_here:
        return None
    if comments(found.applied.call) != comments(found.applied.input):
        return None  # comments inside the activation call would be lost
    twin = log_twin(finding.source, tree, found.applied, softmax_only=True)
    if twin is None:
        return None
    edits = (replace(finding.source, found.applied.call, twin.expression), *twin.edits)
    return Fix(twin.description, safe=True, edits=edits)


def log_of_probabilities(finding: Finding) -> Fix | None:
    """LL005: ``torch.log(F.softmax(x, d))`` -> ``F.log_softmax(x, d)``, and the like."""
    origin = single_origin(finding)
    log_call = finding.node
    if origin is None or not isinstance(log_call, cst.Call):
        return None
    tree = tree_of(finding.source)
    argument = _log_argument(tree, log_call)
    if argument is None:
        return None
    within, use, receiver, guarded = _strip(argument, origin)
    complemented = _complemented(log_call, use, origin)
    if complemented is not None:
        use, receiver = complemented
    found = reach(finding.source, tree, origin, use)
    if found is None:
        return None
    twins: list[Twin] = []

    def build(applied: Application) -> cst.BaseExpression | None:
        if complemented is not None:
            twin = _complement_twin(finding.source, tree, applied)
        else:
            twin = log_twin(finding.source, tree, applied)
        if twin is None:
            return None
        twins.append(twin)
        return twin.expression

    expression = rewrite(finding, found, tree, build)
    if expression is None or not twins:
        return None
    if complemented is not None:
        # The twin stands for the whole `1 - p` (or `-p` of log1p), not for `p`.
        whole = _strip(argument, origin)[1]
        found = dataclasses.replace(found, use=whole)
        receiver = False
    edits = substitute(finding, found, expression, receiver, outer=(log_call, within))
    description = twins[0].description
    if guarded:
        description += " (drops the epsilon or clamp, which changes values near 0)"
    # Dropping the epsilon or clamp changes the value where the probabilities are
    # tiny — the point of the fix, but a change in behaviour all the same.
    return Fix(description, safe=not guarded, edits=edits + twins[0].edits)


def _complemented(
    log_call: cst.Call, use: cst.BaseExpression, origin: Origin
) -> tuple[cst.BaseExpression, bool] | None:
    """``1 - p`` in ``torch.log(1 - p)``, or ``-p`` in ``torch.log1p(-p)``: the
    expression holding the sigmoid's output, and whether it is a receiver."""
    if isinstance(use, cst.BinaryOperation) and isinstance(use.operator, cst.Subtract):
        if _is_one(use.left) and not _log1p(log_call):
            return strip_shape_calls(use.right, origin)
    if isinstance(use, cst.UnaryOperation) and isinstance(use.operator, cst.Minus):
        if _log1p(log_call):
            return strip_shape_calls(use.expression, origin)
    return None


def _log1p(call: cst.Call) -> bool:
    func = call.func
    return isinstance(func, cst.Attribute) and func.attr.value == "log1p"


def _is_one(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Integer):
        return node.value == "1"
    return isinstance(node, cst.Float) and float(node.value) == 1.0


def _complement_twin(source: SourceFile, tree: Tree, applied: Application) -> Twin | None:
    """``1 - torch.sigmoid(z)`` -> ``F.logsigmoid(-z)`` (the log included)."""
    name = dotted(applied.call.func) or ""
    if applied.module is not None:
        name = dotted(applied.module.func) or ""
    if name.rsplit(".", 1)[-1] not in ("sigmoid", "expit", "Sigmoid"):
        return None
    functional = name_module(source, tree, FUNCTIONAL)
    if functional is None:
        return None
    inner = applied.input
    if isinstance(inner, cst.UnaryOperation) and isinstance(inner.operator, cst.Minus):
        negated = inner.expression  # -(-z) is z
    else:
        negated = cst.UnaryOperation(cst.Minus(), _atomic(inner))
    new_func = functional.attribute("logsigmoid")
    twin = cst.Call(new_func, [cst.Arg(negated)])
    description = f"Use `{_written(source, new_func)}(-z)`: log(1 - sigmoid(z)) = logsigmoid(-z)"
    return Twin(twin, functional.edits, description)


def _atomic(node: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) or node.lpar:
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def log_twin(
    source: SourceFile, tree: Tree, applied: Application, softmax_only: bool = False
) -> Twin | None:
    """The log-space twin of an activation call, computed from the same arguments."""
    call = applied.call
    if applied.module is not None:
        return _module_twin(source, tree, applied, softmax_only)
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else dotted(func)
    if name is None:
        return None
    name = name.rsplit(".", 1)[-1]
    if name == "softmax":
        if isinstance(func, cst.Attribute):
            renamed = func.with_changes(attr=func.attr.with_changes(value="log_softmax"))
            return Twin(call.with_changes(func=renamed), (), _use(source, renamed, func))
        functional = name_module(source, tree, FUNCTIONAL)
        if functional is None:
            return None
        new_func = functional.attribute("log_softmax")
        twin = call.with_changes(func=new_func)
        return Twin(twin, functional.edits, _use(source, new_func, func))
    if name == "exp":
        return Twin(applied.input, (), "Drop the `exp`: use the log-probabilities it was taken of")
    if name in ("sigmoid", "expit") and not softmax_only:
        functional = name_module(source, tree, FUNCTIONAL)
        if functional is None:
            return None
        new_func = functional.attribute("logsigmoid")
        if applied.is_method:
            twin = cst.Call(func=new_func, args=[cst.Arg(applied.input)])
        else:
            twin = call.with_changes(func=new_func)
        return Twin(twin, functional.edits, _use(source, new_func, func))
    return None


def _module_twin(
    source: SourceFile, tree: Tree, applied: Application, softmax_only: bool
) -> Twin | None:
    """``self.softmax(h)`` (``nn.Softmax(dim=1)``) -> ``F.log_softmax(h, dim=1)``."""
    module = applied.module
    kind = (dotted(module.func) or "").rsplit(".", 1)[-1]
    functional = name_module(source, tree, FUNCTIONAL)
    if functional is None:
        return None
    if kind == "Softmax":
        dim = _argument(module, 0, "dim")
        if not _literal(dim):
            return None
        new_func = functional.attribute("log_softmax")
        args = [
            cst.Arg(applied.input, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            cst.Arg(dim, keyword=cst.Name("dim"), equal=_equal()),
        ]
        description = _use(source, new_func, applied.call.func)
        return Twin(cst.Call(new_func, args), functional.edits, description)
    if kind == "Sigmoid" and not softmax_only:
        new_func = functional.attribute("logsigmoid")
        twin = cst.Call(new_func, [cst.Arg(applied.input)])
        return Twin(twin, functional.edits, _use(source, new_func, applied.call.func))
    return None


def _log_module(finding: Finding, origin: Origin, tree: Tree) -> Fix | None:
    """Unsafe: ``nn.Softmax(dim=1)`` in a model -> ``nn.LogSoftmax(dim=1)``."""
    construction = origin.node
    if not isinstance(construction, cst.Call):
        return None
    func = construction.func
    if isinstance(func, cst.Attribute) and func.attr.value == "Softmax":
        if resolve(tree, func.value) != NN:
            return None
        new_func = func.with_changes(attr=func.attr.with_changes(value="LogSoftmax"))
        edits: tuple[Edit, ...] = ()
    elif isinstance(func, cst.Name) and func.value == "Softmax":
        nn = name_module(finding.source, tree, NN)
        if nn is None:
            return None
        new_func = nn.attribute("LogSoftmax")
        edits = nn.edits
    else:
        return None
    new = construction.with_changes(func=new_func)
    description = (
        f"Use `{_written(finding.source, new_func)}` in the model: every caller then gets "
        "log-probabilities, so code that needs probabilities must apply `exp`"
    )
    return Fix(description, safe=False, edits=(replace(finding.source, construction, new), *edits))


def _log_argument(tree: Tree, call: cst.Call) -> cst.BaseExpression | None:
    """What ``torch.log(x)`` or ``x.log()`` takes the log of."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "log":
        if resolve(tree, func.value) is None:
            return func.value if not call.args else None  # ``x.log()``
    return _argument(call, 0, "input")


def _strip(argument: cst.BaseExpression, origin: Origin):
    """Peel ``+ eps``, ``clamp`` and shape calls off the log's argument.

    Returns (the argument without eps/clamp, the expression holding the activation's
    output, whether that is a receiver, whether an eps or clamp was dropped).
    """
    within = argument
    current = argument
    receiver = False
    guarded = False
    while True:
        if isinstance(current, cst.BinaryOperation) and isinstance(current.operator, cst.Add):
            if _small_constant(current.right):
                within = within.deep_replace(current, current.left)
                current, guarded = current.left, True
                continue
            if _small_constant(current.left):
                within = within.deep_replace(current, current.right)
                current, guarded = current.right, True
                continue
        if (
            isinstance(current, cst.Call)
            and current is not origin.node
            and isinstance(current.func, cst.Attribute)
            and current.func.attr.value in _EPS_METHODS
        ):
            within = within.deep_replace(current, current.func.value)
            current, guarded = current.func.value, True
            continue
        stripped, moved = strip_shape_calls(current, origin)
        if stripped is current:
            return within, current, receiver, guarded
        current, receiver = stripped, receiver or moved


def _small_constant(node: cst.CSTNode) -> bool:
    """``1e-8`` or a name like ``eps`` / ``EPSILON``: what people add before a log."""
    if isinstance(node, cst.Float):
        return True
    name = dotted(node)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1].lower()
    return last in ("eps", "epsilon", "tiny") or last.endswith("_eps")


def _literal(node: cst.CSTNode | None) -> bool:
    if isinstance(node, cst.Integer):
        return True
    return (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, cst.Minus)
        and isinstance(node.expression, cst.Integer)
    )


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )


def _written(source: SourceFile, node: cst.CSTNode) -> str:
    return source.module.code_for_node(node)


def _use(source: SourceFile, new: cst.CSTNode, old: cst.CSTNode) -> str:
    """``Use `F.log_softmax` instead of `F.softmax` ``."""
    return f"Use `{_written(source, new)}` instead of `{_written(source, old)}`"
