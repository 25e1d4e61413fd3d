"""``--statistics``: how many findings of each code, most frequent first (like ruff's)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from losslint.catalog import BY_CODE
from losslint.diagnostics import Diagnostic


@dataclass(frozen=True)
class CodeCount:
    code: str
    name: str
    count: int
    fixable: int  # how many of them carry a fix


def count(diagnostics: Sequence[Diagnostic]) -> list[CodeCount]:
    """One row per code present, ordered by count (descending), then code."""
    totals = Counter(d.code for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fix is not None)
    rows = [CodeCount(code, BY_CODE[code].name, totals[code], fixable[code]) for code in totals]
    return sorted(rows, key=lambda row: (-row.count, row.code))


def render_text(rows: Sequence[CodeCount]) -> str:
    """``  3\tLL001\t[*] probabilities-into-cross-entropy`` lines."""
    width = max((len(str(row.count)) for row in rows), default=1)
    return "".join(
        f"{row.count:>{width}}\t{row.code}\t{'[*] ' if row.fixable else ''}{row.name}\n"
        for row in rows
    )


def render_json(rows: Sequence[CodeCount]) -> str:
    data = [
        {"code": row.code, "name": row.name, "count": row.count, "fixable": row.fixable}
        for row in rows
    ]
    return json.dumps(data, indent=2) + "\n"
