"""The labelled corpus: every project is flagged exactly where its expectations say."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_tools import actual_keys, corpus_projects, expected_keys, lint_project

from losslint.diagnostics import format_text

PROJECTS = corpus_projects()


@pytest.mark.parametrize("folder", PROJECTS, ids=[p.name for p in PROJECTS])
def test_corpus_project(folder: Path) -> None:
    diagnostics = lint_project(folder)
    assert actual_keys(folder, diagnostics) == expected_keys(folder), "\n".join(
        map(format_text, diagnostics)
    )
