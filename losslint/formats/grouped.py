"""``--format grouped``: findings by file, each with the source it points at.

Written for a person reading a terminal, like ruff's full output::

    train.py:
      5:12 LL001 `probs` is probabilities (softmax at train.py:4); ...
         |
       5 |     return F.cross_entropy(probs, y)
         |            ^^^^^^^^^^^^^^^^^^^^^^^^^
         = note: softmax here (train.py:4:13)

A finding with a fix is marked ``[*]`` (safe) or ``[~]`` (unsafe) and its fix
described under it. Notebook cells are not quoted: their lines are not the file's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from losslint.diagnostics import Diagnostic, Location

if TYPE_CHECKING:
    from losslint.formats import SourceLines

MAX_QUOTED_LINES = 4
TAB = "    "


def _fix_mark(diagnostic: Diagnostic) -> str:
    if diagnostic.fix is None:
        return ""
    return "[*] " if diagnostic.fix.safe else "[~] "


def quote(location: Location, lines: Sequence[str]) -> list[str]:
    """The lines ``location`` spans, each underlined where it is covered."""
    end_line = location.end_line or location.line
    last = min(end_line, location.line + MAX_QUOTED_LINES - 1, len(lines))
    if location.line > last:
        return []
    width = len(str(last))
    gutter = " " * width
    out = [f"  {gutter} |"]
    for number in range(location.line, last + 1):
        text = lines[number - 1]
        start = location.column - 1 if number == location.line else len(text) - len(text.lstrip())
        if number == end_line and location.end_column is not None:
            stop = location.end_column - 1
        else:
            stop = len(text.rstrip())
        stop = max(stop, start + 1)
        shown = text.replace("\t", TAB)
        # Tabs widen the line: carets must move with the text before them.
        pad = len(text[:start].replace("\t", TAB))
        span = len(text[start:stop].replace("\t", TAB)) or 1
        out.append(f"  {number:>{width}} | {shown}".rstrip())
        out.append(f"  {gutter} | {' ' * pad}{'^' * span}")
    if last < end_line:
        out.append(f"  {gutter} | ...")
    return out


def finding(diagnostic: Diagnostic, lines_of: SourceLines) -> list[str]:
    loc = diagnostic.location
    where = f"cell {loc.cell}:" if loc.cell is not None else ""
    out = [
        f"  {where}{loc.line}:{loc.column} {diagnostic.code} {_fix_mark(diagnostic)}"
        f"{diagnostic.message}"
    ]
    lines = lines_of(loc.path) if loc.cell is None else None
    if lines:
        out.extend(f"  {line}" for line in quote(loc, lines))
    for related in diagnostic.related:
        note = related.note or "related"
        out.append(f"    = note: {note} ({related.display_path}:{related.line}:{related.column})")
    if diagnostic.fix is not None:
        safety = "" if diagnostic.fix.safe else " (unsafe fix)"
        out.append(f"    = help: {diagnostic.fix.description}{safety}")
    return out


def render(diagnostics: Sequence[Diagnostic], lines_of: SourceLines) -> str:
    if not diagnostics:
        return ""
    blocks = []
    for path, group in groupby(diagnostics, key=lambda d: d.location.path):
        block = [f"{path}:"]
        for diagnostic in group:
            block.extend(finding(diagnostic, lines_of))
        blocks.append("\n".join(block))
    # The count ("Found 3 findings.") is the CLI's, after any format read by people.
    return "\n\n".join(blocks) + "\n"
