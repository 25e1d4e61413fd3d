"""The rule pages' examples: ``--fix`` turns "Example" into "Use instead", proved by running both.

Each page's snippets define ``logits``, ``target`` and ``loss``. After the fix,
``loss`` must equal the loss the code means, computed by ``torch.nn.functional``
on the logits (:data:`INTENDED`), in value and in gradient; before, it must not.
"""

from __future__ import annotations

import pytest
from fix_harness import compare, fix, run_snippet
from rule_pages import PAGES_DIR, examples

from losslint.fixes import BUILDERS, applicable
from losslint.linter import lint_bytes

# The loss each rule's example means to compute, on the snippet's own names.
INTENDED = {
    "LL001": "F.cross_entropy(logits, target)",
    "LL002": "F.binary_cross_entropy_with_logits(logits, target)",
}


def _fixable_pages() -> list[str]:
    codes = []
    for page in sorted(PAGES_DIR.glob("LL*.md")):
        code = page.stem
        if code not in BUILDERS:
            continue
        flagged, _ = examples(code)
        found = lint_bytes(flagged.encode(), f"{code}_example.py")
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


@pytest.mark.parametrize("code", FIXABLE)
def test_fixed_example_computes_the_intended_loss_and_the_original_does_not(code: str) -> None:
    assert code in INTENDED, f"say which loss the {code} example means in INTENDED"
    flagged, _ = examples(code)
    after = fix(flagged.encode(), f"{code}_example.py", unsafe=True).fixed.decode()
    assert compare(run_snippet(after), INTENDED[code]) == (True, True)
    assert compare(run_snippet(flagged), INTENDED[code]) == (False, False)
