"""``--format json``: a list of findings, one object each, for scripts and other tools.

Positions are 1-based, columns counted in characters (code points). ``fix`` is
null or the edits that make the fix; ``related`` are the places the message
cites (where the probabilities were made).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from losslint.catalog import BY_CODE
from losslint.diagnostics import Diagnostic, Edit, Fix, Location

if TYPE_CHECKING:
    from losslint.formats import SourceLines


def location_dict(location: Location) -> dict[str, Any]:
    return {
        "path": location.path,
        "cell": location.cell,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }


def edit_dict(edit: Edit) -> dict[str, Any]:
    return {
        "line": edit.line,
        "column": edit.column,
        "end_line": edit.end_line,
        "end_column": edit.end_column,
        "content": edit.content,
    }


def fix_dict(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "description": fix.description,
        "safe": fix.safe,
        "edits": [edit_dict(edit) for edit in fix.edits],
    }


def diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """One finding as a JSON object (the schema of ``--format json``)."""
    rule = BY_CODE[diagnostic.code]
    return {
        **location_dict(diagnostic.location),
        "code": rule.code,
        "name": rule.name,
        "message": diagnostic.message,
        "url": rule.url,
        "fix": fix_dict(diagnostic.fix),
        "related": [
            {**location_dict(related), "note": related.note} for related in diagnostic.related
        ],
    }


def render(diagnostics: Sequence[Diagnostic], lines_of: SourceLines | None = None) -> str:
    return json.dumps([diagnostic_dict(d) for d in diagnostics], indent=2) + "\n"
