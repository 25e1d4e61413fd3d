"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=LL001 name::message``.
Values are escaped as the Actions toolkit does: ``%``, CR and LF everywhere, and
``:`` and ``,`` inside properties, which those characters would otherwise end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from losslint.diagnostics import Diagnostic

if TYPE_CHECKING:
    from losslint.formats import SourceLines


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    """One ``::error`` command for ``diagnostic``."""
    loc = diagnostic.location
    properties = [("file", loc.path)]
    message = diagnostic.message
    if loc.cell is not None:
        # Lines count inside the cell, not the notebook's JSON: annotate the whole
        # file and say where in the notebook.
        message = f"cell {loc.cell}, line {loc.line}: {message}"
    else:
        properties += [("line", str(loc.line)), ("col", str(loc.column))]
        if loc.end_line is not None and loc.end_column is not None:
            properties += [("endLine", str(loc.end_line)), ("endColumn", str(loc.end_column))]
    properties.append(("title", f"{diagnostic.code} {diagnostic.name}"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::error {props}::{escape_data(message)}"


def render(diagnostics: Sequence[Diagnostic], lines_of: SourceLines | None = None) -> str:
    return "".join(f"{annotation(diagnostic)}\n" for diagnostic in diagnostics)
