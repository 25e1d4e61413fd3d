"""Jupyter notebooks: their code cells as one program, and positions mapped back.

The cells run top to bottom in one namespace, so they are analysed as one module.
IPython syntax (``%magic``, ``!shell``, ``%%cell magic``, ``x?``) is not Python:
such lines become ``pass`` at the same indentation, keeping every line where it was
so that a position in the program maps back to a cell and a line in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from losslint.diagnostics import Diagnostic, Location

_IPYTHON_LINE = re.compile(r"^(?P<indent>\s*)(?:[%!]|\?\??\w|\w[\w.]*\?\??\s*$)")
_ASSIGNED_MAGIC = re.compile(r"^(?P<indent>\s*)[\w.]+\s*=\s*[%!]")


class NotebookError(ValueError):
    """A file named .ipynb that is not a notebook losslint can read."""


@dataclass(frozen=True)
class Notebook:
    code: str
    # For each line of ``code`` (0-based): (cell number, 1-based line in the cell).
    lines: tuple[tuple[int, int], ...]

    def place(self, location: Location) -> Location:
        if location.cell is not None or not 0 < location.line <= len(self.lines):
            return location
        cell, line = self.lines[location.line - 1]
        end_line = location.end_line
        if end_line is not None and 0 < end_line <= len(self.lines):
            end_cell, end_in_cell = self.lines[end_line - 1]
            end_line = end_in_cell if end_cell == cell else None
        return replace(location, cell=cell, line=line, end_line=end_line)

    def place_diagnostic(self, diagnostic: Diagnostic) -> Diagnostic:
        """A diagnostic made before the notebook's cells were known (a parse error)."""
        return replace(diagnostic, location=self.place(diagnostic.location))


def load_notebook(data: bytes) -> Notebook:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotebookError(f"not a JSON notebook: {error}") from error
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("no list of cells")
    code_lines: list[str] = []
    positions: list[tuple[int, int]] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(source, str):
            raise NotebookError(f"cell {number} has no source text")
        lines = source.splitlines() or [""]
        cell_magic = _foreign_cell_magic(lines[0])
        for index, line in enumerate(lines, start=1):
            code_lines.append(_python_line(line, whole_cell_magic=cell_magic))
            positions.append((number, index))
    return Notebook("\n".join(code_lines) + "\n", tuple(positions))


# Cell magics whose body is Python run as usual (timed, profiled, output captured):
# only their first line is not Python. Any other (%%bash, %%writefile, %%html) is not code.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})


def _foreign_cell_magic(first: str) -> bool:
    """Whether a cell starting with ``first`` is a cell magic whose body is not Python."""
    first = first.lstrip()
    if not first.startswith("%%"):
        return False
    name = first[2:].split(maxsplit=1)
    return not name or name[0] not in _PYTHON_CELL_MAGICS


def _python_line(line: str, whole_cell_magic: bool) -> str:
    if whole_cell_magic:
        return ""
    match = _IPYTHON_LINE.match(line) or _ASSIGNED_MAGIC.match(line)
    if match is None:
        return line
    return f"{match.group('indent')}pass"
