"""The catalog pages are complete, and their examples do what the pages say."""

from __future__ import annotations

import pytest
from rule_pages import PAGES_DIR, SECTIONS, examples, sections

from losslint.catalog import RULES
from losslint.checks import ALL_CHECKS
from losslint.linter import lint_bytes

IMPLEMENTED = sorted({check.code for check in ALL_CHECKS} | {"LL000"})
PAGED = sorted(p.stem for p in PAGES_DIR.glob("LL*.md"))


@pytest.mark.parametrize("code", PAGED)
def test_page_has_every_section_in_order(code: str) -> None:
    text = (PAGES_DIR / f"{code}.md").read_text(encoding="utf-8")
    rule = next(rule for rule in RULES if rule.code == code)
    assert text.startswith(f"# {code} {rule.name}\n")
    titles = list(sections(text))
    assert titles == list(SECTIONS)


@pytest.mark.parametrize("code", IMPLEMENTED)
def test_flagged_example_raises_exactly_its_code(code: str) -> None:
    flagged, _ = examples(code)
    found = {d.code for d in lint_bytes(flagged.encode(), f"{code}_example.py")}
    assert found == {code}


@pytest.mark.parametrize("code", PAGED)
def test_fixed_example_is_clean(code: str) -> None:
    _, fixed = examples(code)
    assert lint_bytes(fixed.encode(), f"{code}_fixed.py") == []


def test_runtime_only_rule_is_silent_statically() -> None:
    flagged, _ = examples("LL014")
    assert lint_bytes(flagged.encode(), "LL014_example.py") == []


@pytest.mark.parametrize("code", [c for c in PAGED if c != "LL000"])
def test_examples_run_with_torch(code: str) -> None:
    pytest.importorskip("torch")
    flagged, fixed = examples(code)
    for snippet in (flagged, fixed):
        namespace: dict = {}
        exec(compile(snippet, f"{code}.md", "exec"), namespace)  # noqa: S102 - our own pages
