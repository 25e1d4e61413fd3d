"""One ``losslint check --fix`` / ``--diff`` run: the files it fixed and what it says.

The CLI hands each input to a :class:`FixRun` instead of the linter; the run fixes
it (writing it back only for ``--fix``), keeps the results, and renders what the
command prints besides the findings: the diff, the list of fixes
(``--show-fixes``), and the closing count line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from losslint.diagnostics import Diagnostic
from losslint.fixes.diff import unified_diff
from losslint.fixes.files import NOTEBOOK_SUFFIX, FileFix, fix_file
from losslint.fixes.notebook_fix import fix_notebook
from losslint.fixes.rounds import FixResult, fix_bytes
from losslint.selection import Selection


@dataclass
class FixRun:
    selection: Selection | None
    unsafe: bool
    write: bool  # --fix writes; --diff only shows
    project: object = None
    files: list[FileFix] = field(default_factory=list)
    stdin_source: bytes | None = None  # the fixed stdin, printed instead of written

    def file(self, path: Path, display: str) -> list[Diagnostic]:
        """Fix one file; returns the findings to report (those left, or all for --diff)."""
        outcome = fix_file(path, display, self.selection, self.unsafe, self.write, self.project)
        self.files.append(outcome)
        return list(self.reported(outcome.result))

    def stdin(self, data: bytes, display: str) -> list[Diagnostic]:
        fixer = fix_notebook if display.endswith(NOTEBOOK_SUFFIX) else fix_bytes
        result = fixer(data, display, self.selection, self.unsafe, self.project)
        self.files.append(FileFix(result))
        self.stdin_source = result.fixed
        return list(self.reported(result))

    def reported(self, result: FixResult) -> tuple[Diagnostic, ...]:
        return result.remaining if self.write else result.found

    @property
    def errors(self) -> list[str]:
        return [outcome.error for outcome in self.files if outcome.error]

    @property
    def unconverged(self) -> list[str]:
        return [outcome.result.path for outcome in self.files if not outcome.result.converged]

    @property
    def applied(self) -> list[Diagnostic]:
        return [d for outcome in self.files for d in outcome.result.applied]

    @property
    def remaining(self) -> list[Diagnostic]:
        """What the fixed sources still report (for --diff: would still report)."""
        return [d for outcome in self.files for d in outcome.result.remaining]

    def diff(self) -> str:
        return "".join(unified_diff(outcome.result) for outcome in self.files)
