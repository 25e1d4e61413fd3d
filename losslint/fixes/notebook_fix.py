"""Fixing a notebook: its code cells fixed as one program, the edits put back in the cells.

A notebook is analysed as its code cells joined (IPython-only lines as ``pass``), so
its fixes are computed on that program, in rounds and verified like any file's.
The fixed program is then compared with the original line by line, and each
changed run of lines goes back into the cell it came from; an added import goes
into the cell of the line before it. The notebook's JSON keeps its layout, outputs
and metadata: only the edited cells' sources change. Nothing is fixed when a change
would span two cells or touch an IPython line, or when the JSON layout cannot be
kept.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from losslint.fixes.notebook_json import LayoutUnknown, cell_sources, replace_cells
from losslint.fixes.rounds import FixResult, fix_bytes
from losslint.ipython import source_lines
from losslint.linter import lint_bytes
from losslint.notebook import Notebook, NotebookError, load_notebook
from losslint.selection import Selection


def fix_notebook(
    data: bytes,
    display: str,
    selection: Selection | None = None,
    unsafe: bool = False,
    project=None,
) -> FixResult:
    found = tuple(lint_bytes(data, display, selection, project))
    unfixed = FixResult(display, data, data, found, (), found, True)
    try:
        notebook = load_notebook(data)
        sources = cell_sources(data)
    except (NotebookError, ValueError, KeyError, TypeError):
        return unfixed
    # The program is fixed under a .py name beside the notebook (imports resolve alike).
    program = fix_bytes(notebook.code.encode("utf-8"), f"{display}.py", selection, unsafe, project)
    if not program.changed:
        return replace(unfixed, converged=program.converged)
    edited = _back_to_cells(notebook, sources, program.fixed.decode("utf-8"))
    if edited is None:
        return unfixed
    try:
        fixed = replace_cells(data, edited)
    except (LayoutUnknown, ValueError, KeyError, TypeError):
        return unfixed
    remaining = tuple(lint_bytes(fixed, display, selection, project))
    applied = tuple(
        replace(d, location=replace(notebook.place(d.location), path=display))
        for d in program.applied
    )
    return FixResult(display, data, fixed, found, applied, remaining, program.converged)


def _back_to_cells(
    notebook: Notebook, sources: dict[int, str], fixed: str
) -> dict[int, str] | None:
    """The new source of each edited cell; None when an edit cannot be put back."""
    original = notebook.code.split("\n")[:-1]  # the program ends with a line break
    new = fixed.split("\n")
    if new and new[-1] == "":
        new.pop()
    if len(original) != len(notebook.lines):
        return None
    cells = {number: source_lines(source) for number, source in sources.items()}
    changes: list[tuple[int, int, int, list[str]]] = []  # cell, start, end (0-based), lines
    matcher = difflib.SequenceMatcher(a=original, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 < i2:
            places = notebook.lines[i1:i2]
            if len({cell for cell, _ in places}) != 1:
                return None  # one change across two cells
            for (cell, line), text in zip(places, original[i1:i2], strict=True):
                if cell not in cells or cells[cell][line - 1] != text:
                    return None  # an IPython line, kept as ``pass`` in the program
            cell, start, end = places[0][0], places[0][1] - 1, places[-1][1]
        elif i1 > 0:
            cell, line = notebook.lines[i1 - 1]  # an insertion joins the line before it
            start = end = line
        else:
            cell, start, end = notebook.lines[0][0], 0, 0
        changes.append((cell, start, end, new[j1:j2]))
    for cell, start, end, lines in reversed(changes):
        cells[cell][start:end] = lines
    edited = {}
    for cell in {cell for cell, *_ in changes}:
        ending = "\n" if sources[cell].endswith("\n") else ""
        edited[cell] = "\n".join(cells[cell]) + ending
    return edited
