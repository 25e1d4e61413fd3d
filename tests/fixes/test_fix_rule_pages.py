"""The rule pages' examples: ``--fix`` turns "Example" into "Use instead", proved by running both.

Each page's snippets define the loss's inputs and ``loss``. After the fix, ``loss``
must equal the loss the code means, computed by ``torch.nn.functional`` on the
logits (:data:`INTENDED`), in value and in gradient; before, it must not (an
example that raises, or builds a module instead of a loss, computes nothing).
"""

from __future__ import annotations

import pytest
from fix_harness import compare, fix, lint, run_snippet
from rule_pages import PAGES_DIR, examples

from losslint.fixes import BUILDERS, applicable

# What each rule's example means to compute, and what the gradient is taken for.
INTENDED = {
    "LL001": ("F.cross_entropy(logits, target)", "logits"),
    "LL002": ("F.binary_cross_entropy_with_logits(logits, target)", "logits"),
    "LL004": ("F.cross_entropy(logits, target)", "logits"),
    "LL005": ("F.cross_entropy(logits, target)", "logits"),
    "LL006": ("F.binary_cross_entropy_with_logits(logits, target)", "logits"),
    "LL007": ("F.binary_cross_entropy_with_logits(model(x), target)", "model.weight"),
    "LL008": (
        "F.kl_div(F.log_softmax(student_logits, dim=1), F.softmax(teacher_logits, dim=1), "
        "reduction='batchmean')",
        "student_logits",
    ),
    "LL009": (
        "F.kl_div(F.log_softmax(student_logits, dim=1), F.softmax(teacher_logits, dim=1), "
        "reduction='batchmean')",
        "student_logits",
    ),
    "LL011": ("F.cross_entropy(logits, target)", "logits"),
    "LL015": ("F.binary_cross_entropy_with_logits(outputs, labels)", "model.weight"),
}
# Rules whose fix is about what is kept, not which loss is computed: checked apart.
KEEPING = frozenset({"LL013"})
# Numerical-stability rules: the wrong code computes the right loss except where
# probabilities round to 0 or 1. An example with moderate logits cannot show it
# (the fix fixtures use saturating logits, and there the original does differ).
STABILITY = frozenset({"LL005", "LL006"})


def _fixable_pages() -> list[str]:
    codes = []
    for page in sorted(PAGES_DIR.glob("LL*.md")):
        code = page.stem
        if code not in BUILDERS:
            continue
        flagged, _ = examples(code)
        found = lint(flagged.encode(), f"{code}_example.py")
        if any(applicable(d, unsafe=True) for d in found if d.code == code):
            codes.append(code)
    return codes


FIXABLE = _fixable_pages()


def test_the_model_rules_pages_are_fixable() -> None:
    assert {"LL001", "LL002"} <= set(FIXABLE)


@pytest.mark.parametrize("code", FIXABLE)
def test_fix_turns_the_example_into_use_instead(code: str) -> None:
    flagged, fixed = examples(code)
    result = fix(flagged.encode(), f"{code}_example.py", unsafe=True)
    assert result.fixed.decode() == fixed


@pytest.mark.parametrize("code", [code for code in FIXABLE if code not in KEEPING])
def test_fixed_example_computes_the_intended_loss(code: str) -> None:
    assert code in INTENDED, f"say which loss the {code} example means in INTENDED"
    intended, wrt = INTENDED[code]
    flagged, _ = examples(code)
    after = fix(flagged.encode(), f"{code}_example.py", unsafe=True).fixed.decode()
    assert compare(run_snippet(after), intended, wrt) == (True, True)


@pytest.mark.parametrize("code", [code for code in FIXABLE if code not in KEEPING])
def test_original_example_does_not_compute_it(code: str) -> None:
    intended, wrt = INTENDED[code]
    flagged, _ = examples(code)
    outcome = compare(run_snippet(flagged, may_raise=True), intended, wrt)
    if code in STABILITY and outcome == (True, True):
        pytest.xfail(f"{code}'s example uses moderate logits, where the unstable form agrees")
    assert outcome == (False, False)


@pytest.mark.parametrize("code", sorted(KEEPING & set(FIXABLE)))
def test_fixed_example_keeps_the_number_without_the_graph(code: str) -> None:
    import torch

    flagged, _ = examples(code)
    after = fix(flagged.encode(), f"{code}_example.py", unsafe=True).fixed.decode()
    before, fixed = run_snippet(flagged), run_snippet(after)
    assert isinstance(before["total"], torch.Tensor) and before["total"].grad_fn is not None
    assert isinstance(fixed["total"], float)
    assert abs(fixed["total"] - before["total"].item()) < 1e-5
