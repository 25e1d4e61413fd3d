"""Running losslint over a labelled corpus project and reading its expectations."""

from __future__ import annotations

import json
from pathlib import Path

from expectations import expected_findings

from losslint.analysis.project import Project
from losslint.diagnostics import Diagnostic, one_per_place
from losslint.discovery import discover
from losslint.linter import lint_path

CORPUS = Path(__file__).parent / "corpus"

Key = tuple[str, int | None, int, str]  # (file relative to the project, cell, line, code)


def corpus_projects() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


def lint_project(folder: Path) -> list[Diagnostic]:
    files = list(discover([folder]))
    project = Project(files)
    found: set[Diagnostic] = set()
    for file in files:
        found.update(lint_path(file, display=str(file), project=project))
    return one_per_place(found)


def actual_keys(folder: Path, diagnostics: list[Diagnostic]) -> list[Key]:
    """Where each finding is. A finding in a shared function can be reported both by
    its own file and, with a caller named in the message, by a file that calls it:
    that is one finding at one place (see :func:`duplicate_reports`)."""
    keys = {_key(folder, d) for d in diagnostics}
    return sorted(keys, key=str)


def duplicate_reports(folder: Path, diagnostics: list[Diagnostic]) -> int:
    """How many diagnostics repeat the place (column included) and code of another one:
    the same finding reported twice, not two findings on one line."""
    places = {(*_key(folder, d), d.location.column) for d in diagnostics}
    return len(diagnostics) - len(places)


def _key(folder: Path, d: Diagnostic) -> Key:
    relative = Path(d.location.path).resolve().relative_to(folder.resolve()).as_posix()
    return (relative, d.location.cell, d.location.line, d.code)


def expected_keys(folder: Path) -> list[Key]:
    keys: list[Key] = []
    for file in discover([folder]):
        relative = file.relative_to(folder).as_posix()
        if file.suffix == ".ipynb":
            cells = json.loads(file.read_text(encoding="utf-8"))["cells"]
            for number, cell in enumerate(cells, start=1):
                source = cell.get("source", "")
                text = "".join(source) if isinstance(source, list) else source
                if cell.get("cell_type") == "code":
                    keys += [(relative, number, ln, c) for ln, c in expected_findings(text)]
        else:
            text = file.read_text(encoding="utf-8")
            keys += [(relative, None, ln, c) for ln, c in expected_findings(text)]
    return sorted(keys, key=str)
