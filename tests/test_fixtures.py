"""Every fixture is flagged exactly where its ``# expect:`` comments say, nowhere else."""

from __future__ import annotations

from pathlib import Path

import pytest
from expectations import actual_findings, expected_findings

from losslint.diagnostics import format_text
from losslint.linter import lint_bytes

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "static").glob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_findings_match_expectations(path: Path) -> None:
    data = path.read_bytes()
    diagnostics = lint_bytes(data, path.name)
    expected = expected_findings(data.decode("utf-8"))
    assert actual_findings(diagnostics) == expected, "\n".join(map(format_text, diagnostics))


def test_clean_fixtures_have_no_expectations_and_flagged_ones_do() -> None:
    for path in FIXTURES:
        has = bool(expected_findings(path.read_text(encoding="utf-8")))
        assert has == (not path.name.startswith("clean_")), path.name
