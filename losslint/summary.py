"""The closing lines of a run: how many findings, how many fixed, what was fixed.

Kept apart from the fixer itself so that printing them never imports the analysis.
"""

from __future__ import annotations

from collections.abc import Sequence

from losslint.diagnostics import Diagnostic, applicable


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
