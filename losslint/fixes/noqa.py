"""``losslint check --add-noqa``: a ``# noqa: LLxxx`` on every line with a finding.

For adopting losslint on a large code base, as ruff's ``--add-noqa`` does: the
existing findings are silenced where they are, and only new code is held to the
rules. A line that already has ``# noqa: CODES`` gets the new codes added to its
list; a bare ``# noqa`` already silences everything. A line ending in a backslash
continuation cannot take a comment and is left alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from losslint.diagnostics import Diagnostic
from losslint.fixes.atomic import write_atomic
from losslint.fixes.notebook_json import cell_sources, replace_cells

_NOQA_CODES = re.compile(
    rb"#\s*noqa:[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE
)
_BARE_NOQA = re.compile(rb"#\s*noqa(?!:)", re.IGNORECASE)


def with_noqa(line: bytes, codes: Iterable[str]) -> bytes:
    """``line`` (with its line break, if any) carrying ``# noqa`` for ``codes``."""
    body = line.rstrip(b"\r\n")
    ending = line[len(body) :]
    if body.rstrip().endswith(b"\\") or _BARE_NOQA.search(body):
        return line
    match = _NOQA_CODES.search(body)
    if match is not None:
        listed = [c for c in re.split(rb"[,\s]+", match.group("codes")) if c]
        known = {c.upper() for c in listed}
        added = [c.encode() for c in sorted(set(codes)) if c.encode() not in known]
        if not added:
            return line
        new = b", ".join([*listed, *added])
        return body[: match.start("codes")] + new + body[match.end("codes") :] + ending
    comment = b"# noqa: " + b", ".join(c.encode() for c in sorted(set(codes)))
    return body.rstrip() + b"  " + comment + ending


def _add_to_lines(data: bytes, by_line: dict[int, set[str]]) -> tuple[bytes, int]:
    lines = data.splitlines(keepends=True)
    added = 0
    for number, codes in by_line.items():
        if 0 < number <= len(lines):
            new = with_noqa(lines[number - 1], codes)
            added += new != lines[number - 1]
            lines[number - 1] = new
    return b"".join(lines), added


def add_noqa(path: Path, diagnostics: Iterable[Diagnostic]) -> int:
    """Add the comments to ``path`` (written atomically); returns how many lines changed."""
    by_place: dict[int | None, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for diagnostic in diagnostics:
        if diagnostic.code != "LL000":  # a file that does not parse takes no comment
            location = diagnostic.location
            by_place[location.cell][location.line].add(diagnostic.code)
    if not by_place:
        return 0
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        sources = cell_sources(data)
        edited, added = {}, 0
        for cell, by_line in by_place.items():
            if cell in sources:
                source, count = _add_to_lines(sources[cell].encode("utf-8"), by_line)
                edited[cell], added = source.decode("utf-8"), added + count
        new = replace_cells(data, edited) if added else data
    else:
        new, added = _add_to_lines(data, by_place[None])
    if added:
        write_atomic(path, new, data)
    return added
