"""Jupyter notebooks: their code cells as one program, and positions mapped back.

The cells run top to bottom in one namespace, so they are analysed as one module.
IPython syntax (``%magic``, ``!shell``, ``%%cell magic``, ``x?``) is made Python
cell by cell (:mod:`losslint.ipython`), keeping every line where it was so that a
position in the program maps back to a cell and a line in it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from losslint.diagnostics import Diagnostic, Location
from losslint.ipython import python_lines, source_lines


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

    def cell_codes(self) -> list[tuple[int, str]]:
        """Each code cell's program text, with the program line it starts at."""
        program = self.code.split("\n")
        codes: list[tuple[int, str]] = []
        start = 0
        for end in range(1, len(self.lines) + 1):
            if end == len(self.lines) or self.lines[end][0] != self.lines[start][0]:
                codes.append((start + 1, "\n".join(program[start:end]) + "\n"))
                start = end
        return codes

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
        # Each cell is IPython's unit: a bracket or string left open ends with it.
        lines = python_lines(source_lines(source), cell_markers=False)
        code_lines.extend(lines)
        positions.extend((number, index) for index in range(1, len(lines) + 1))
    return Notebook("\n".join(code_lines) + "\n", tuple(positions))
