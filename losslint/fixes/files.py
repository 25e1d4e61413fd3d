"""Fixing files on disk: read, fix in rounds, write back atomically."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from losslint.fixes.atomic import ChangedOnDisk, write_atomic
from losslint.fixes.notebook_fix import fix_notebook
from losslint.fixes.rounds import FixResult, fix_bytes
from losslint.linter import lint_path
from losslint.selection import Selection

NOTEBOOK_SUFFIX = ".ipynb"  # fixed through its cells (fixes/notebook_fix.py)


@dataclass(frozen=True)
class FileFix:
    result: FixResult
    written: bool = False
    error: str = ""  # why the fixed source was not written, when it was not


def fix_file(
    path: Path,
    display: str,
    selection: Selection | None = None,
    unsafe: bool = False,
    write: bool = True,
    project=None,
) -> FileFix:
    """Fix ``path``; with ``write``, replace it by the fixed source when that differs.

    When the file cannot be written (or changed on disk meanwhile) nothing counts as
    fixed: the result reports the original file's findings.
    """
    try:
        data = path.read_bytes()
    except OSError:
        diagnostics = tuple(lint_path(path, selection, display, project))
        return FileFix(FixResult(display, b"", b"", diagnostics, (), diagnostics, True))
    if path.suffix == NOTEBOOK_SUFFIX:
        result = fix_notebook(data, display, selection, unsafe, project)
    else:
        result = fix_bytes(data, display, selection, unsafe, project)
    if not write or not result.changed:
        return FileFix(result)
    try:
        write_atomic(path, result.fixed, data)
    except ChangedOnDisk as error:
        return FileFix(_unwritten(result), error=str(error))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return FileFix(_unwritten(result), error=f"cannot write {display}: {reason}")
    return FileFix(result, written=True)


def _unwritten(result: FixResult) -> FixResult:
    return replace(result, fixed=result.original, applied=(), remaining=result.found)
