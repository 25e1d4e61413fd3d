"""Every source file of the installed torch package: no crash, every finding in its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from losslint.runner import Job, check_jobs
from losslint.selection import Selection


def test_every_torch_source_file_is_checked_without_a_crash() -> None:
    torch = pytest.importorskip("torch")
    root = Path(torch.__file__).parent
    files = sorted(root.rglob("*.py"))
    assert len(files) > 1000
    outcome = check_jobs([Job(f, str(f)) for f in files], Selection(), workers=2)
    assert outcome.errors == []
    line_counts = {}
    for diagnostic in outcome.diagnostics:
        location = diagnostic.location
        if location.path not in line_counts:
            text = Path(location.path).read_bytes()
            line_counts[location.path] = text.count(b"\n") + 1
        assert 1 <= location.line <= line_counts[location.path], diagnostic
        assert location.column >= 1
