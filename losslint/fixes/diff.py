"""``--diff``: what ``--fix`` would change, as a unified diff."""

from __future__ import annotations

import difflib

from losslint.fixes.rounds import FixResult
from losslint.fixes.text import SourceText, split_lines

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(result: FixResult) -> str:
    """The diff from the original to the fixed source ("" when nothing changed)."""
    if not result.changed:
        return ""
    before = split_lines(SourceText.decode(result.original).text)
    after = split_lines(SourceText.decode(result.fixed).text)
    lines = difflib.unified_diff(before, after, fromfile=result.path, tofile=result.path)
    out = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(f"{line}\n{_NO_NEWLINE}")
    return "".join(out)
