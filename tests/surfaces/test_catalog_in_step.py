"""``losslint rules`` and ``losslint explain`` stay in step with the catalog.

Every code in ``catalog.RULES`` must have its page in ``rules/``, titled with its
name, with every section and both examples; every page must belong to a code.
A code added to the catalog without its page fails here.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rule_pages import PAGES_DIR, SECTIONS, first_python_block, sections

from losslint.catalog import BY_CODE, RULES
from losslint.cli import main

# Pages being written as these tests land (LL004-LL013). While such a page is
# missing its tests are expected to fail; once the file is there, it must be
# complete. Any other code without a page fails.
PAGES_PENDING = frozenset(f"LL{number:03}" for number in range(4, 14))
CODES = [
    pytest.param(
        rule.code,
        marks=pytest.mark.xfail(
            rule.code in PAGES_PENDING and not (PAGES_DIR / f"{rule.code}.md").is_file(),
            reason="rule page not written yet",
            strict=True,
        ),
    )
    for rule in RULES
]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("code", CODES)
def test_catalog_code_has_a_complete_page(code: str) -> None:
    page = PAGES_DIR / f"{code}.md"
    assert page.is_file(), f"rules/{code}.md is missing"
    text = page.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# {code} {BY_CODE[code].name}"
    parts = sections(text)
    assert list(parts) == list(SECTIONS), f"rules/{code}.md sections"
    for section in ("Example", "Use instead"):
        assert first_python_block(parts[section]), f"rules/{code}.md: no example in {section}"


def test_every_page_belongs_to_a_catalog_code() -> None:
    pages = sorted(page.stem for page in PAGES_DIR.glob("*.md"))
    assert [stem for stem in pages if stem not in BY_CODE] == []


def test_rules_json_is_the_catalog() -> None:
    rows = json.loads(run("rules", "--format", "json").output)
    assert rows == [
        {
            "code": rule.code,
            "name": rule.name,
            "summary": rule.summary,
            "static": rule.static,
            "runtime": rule.runtime,
            "url": rule.url,
        }
        for rule in RULES
    ]
    for row in rows:
        assert row["url"].endswith(f"/rules/{row['code']}.md")


def test_rules_text_lists_every_code_and_name() -> None:
    lines = run("rules").output.splitlines()
    assert [line.split()[:2] for line in lines] == [[r.code, r.name] for r in RULES]


@pytest.mark.parametrize("code", CODES)
def test_explain_prints_the_page(code: str) -> None:
    page = PAGES_DIR / f"{code}.md"
    assert page.is_file(), f"rules/{code}.md is missing"
    result = run("explain", code.lower())
    assert result.exit_code == 0
    assert result.output.rstrip("\n") == page.read_text(encoding="utf-8").rstrip("\n")
