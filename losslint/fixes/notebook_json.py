"""Editing a notebook's cells in place: new cell sources, the rest of the JSON as it was.

A notebook is JSON, written by Jupyter in one layout (nbformat: one-space indent,
keys sorted, non-ASCII kept) or by other tools in another. An edit re-serialises the
document in the layout that reproduces the original exactly, so a fix or a ``# noqa``
changes only the cells it edits; when no known layout reproduces the file, it is
not rewritten.
"""

from __future__ import annotations

import json
from itertools import product

_INDENTS = (1, 2, 4, 0, None)
BOM = b"\xef\xbb\xbf"


class LayoutUnknown(ValueError):
    """The notebook's JSON is written in a layout losslint cannot reproduce."""


def cell_sources(data: bytes) -> dict[int, str]:
    """Each code cell's source, by cell number (1-based, among all cells)."""
    document = json.loads(data.removeprefix(BOM).decode("utf-8"))
    sources = {}
    for number, cell in enumerate(document.get("cells", []), start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            sources[number] = "".join(source) if isinstance(source, list) else source
    return sources


def replace_cells(data: bytes, sources: dict[int, str]) -> bytes:
    """``data`` with the sources of the cells numbered in ``sources`` replaced.

    Raises :class:`LayoutUnknown` when the JSON layout cannot be kept.
    """
    bom = data.startswith(BOM)
    text = data.removeprefix(BOM).decode("utf-8")
    document = json.loads(text)
    layout = _layout(text, document)
    cells = document["cells"]
    for number, source in sources.items():
        cell = cells[number - 1]
        if isinstance(cell.get("source"), list):
            cell["source"] = source.splitlines(keepends=True)
        else:
            cell["source"] = source
    indent, sort_keys, ensure_ascii, ending = layout
    out = json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    return (BOM if bom else b"") + (out + ending).encode("utf-8")


def _layout(text: str, document: object) -> tuple[int | None, bool, bool, str]:
    body = text.rstrip("\r\n")
    ending = text[len(body) :]
    for indent, sort_keys, ensure_ascii in product(_INDENTS, (True, False), (False, True)):
        dumped = json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
        if dumped == body:
            return indent, sort_keys, ensure_ascii, ending
    raise LayoutUnknown("the notebook's JSON layout cannot be kept")
