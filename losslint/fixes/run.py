"""One ``losslint check --fix`` / ``--diff`` run: the files it fixed and what it says.

The CLI hands each input to a :class:`FixRun` instead of the linter; the run fixes
it (writing it back only for ``--fix``), keeps the results, and renders what the
command prints besides the findings: the diff, the list of fixes
(``--show-fixes``), and the closing count line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from losslint.diagnostics import Diagnostic
from losslint.fixes import applicable
from losslint.fixes.diff import unified_diff
from losslint.fixes.files import FileFix, fix_file
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
        result = fix_bytes(data, display, self.selection, self.unsafe, self.project)
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


def count_line(
    remaining: Sequence[Diagnostic],
    fixed: int = 0,
    fixing: bool = False,
    unsafe: bool = False,
    would: bool = False,
) -> str:
    """``Found 7 findings (5 fixed, 2 remaining).``, and how many more ``--fix`` would fix.

    ``would`` (for ``--diff``) says ``Would fix 5 findings (2 remaining).`` instead.
    Empty when there was nothing to find and nothing fixed.
    """
    total = len(remaining) + fixed
    if total == 0:
        return ""
    if would:
        line = f"Would fix {_findings(fixed)} ({len(remaining)} remaining)."
        fixing = True
    else:
        line = f"Found {_findings(total)}"
        line += f" ({fixed} fixed, {len(remaining)} remaining)." if fixing else "."
    fixable = sum(applicable(d, unsafe) for d in remaining)
    hidden = sum(applicable(d, True) and not applicable(d, unsafe) for d in remaining)
    hint = ""
    if fixable and not fixing:
        hint = f"[*] {fixable} fixable with the `--fix` option"
    if hidden:
        more = f"{hidden} hidden fix{'es' if hidden > 1 else ''} can be enabled with the "
        more += "`--unsafe-fixes` option"
        hint = f"{hint} ({more})" if hint else f"No fixes available ({more})"
    return f"{line}\n{hint}." if hint else line


def fixes_list(diagnostics: Sequence[Diagnostic], done: bool) -> str:
    """``--show-fixes``: each fix with where it applies and what it does."""
    if not diagnostics:
        return ""
    head = f"{'Fixed' if done else 'Would fix'} {_findings(len(diagnostics))}:"
    lines = [head]
    for diagnostic in sorted(diagnostics, key=Diagnostic.sort_key):
        loc = diagnostic.location
        safety = "" if diagnostic.fix.safe else " (unsafe)"
        lines.append(
            f"  {loc.display_path}:{loc.line}:{loc.column}: {diagnostic.code} "
            f"{diagnostic.fix.description}{safety}"
        )
    return "\n".join(lines)


def _findings(count: int) -> str:
    return f"{count} finding{'s' if count != 1 else ''}"
