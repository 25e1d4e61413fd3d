"""``--format sarif``: a SARIF 2.1.0 log, the format GitHub code scanning uploads.

The run's ``tool.driver.rules`` is the whole catalog (stable indices, help text
and a link to each rule page); each finding is a result at the loss call, with
the origin of the bad value as a related location and its fix, when it has one,
as a SARIF fix. Relative paths are given against ``%SRCROOT%``, the directory
the command ran in; columns count code points, as the linter does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from losslint import __version__
from losslint.catalog import RULES, Rule, rule_page
from losslint.diagnostics import Diagnostic, Fix, Location

if TYPE_CHECKING:
    from losslint.formats import SourceLines

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/losslint/losslint"
SRCROOT = "%SRCROOT%"
_RULE_INDEX = {rule.code: index for index, rule in enumerate(RULES)}


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """The catalog entry of ``rule`` as a SARIF reportingDescriptor."""
    try:
        page = rule_page(rule.code)
    except OSError:  # a page not written yet: the summary and the link still help
        page = f"{rule.summary}.\n\nSee [{rule.code}]({rule.url})."
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": f"{rule.summary}. See {rule.url}", "markdown": page},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["pytorch", "loss-function"]
            + (["static"] if rule.static else [])
            + (["runtime"] if rule.runtime else []),
        },
    }


def artifact_location(path: str) -> dict[str, Any]:
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": Path(path).as_uri()}
    # A file name that is not valid UTF-8 reaches us with surrogate escapes: its URI
    # percent-encodes the name's bytes, as a file: URI does.
    return {"uri": quote(os.fsencode(pure.as_posix())), "uriBaseId": SRCROOT}


def region(line: int, column: int, end_line: int | None, end_column: int | None) -> dict:
    result = {"startLine": line, "startColumn": column}
    if end_line is not None and end_column is not None:
        result.update(endLine=end_line, endColumn=end_column)
    return result


def physical_location(location: Location) -> dict[str, Any]:
    return {
        "artifactLocation": artifact_location(location.path),
        "region": region(location.line, location.column, location.end_line, location.end_column),
    }


def sarif_location(location: Location, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = {**extra, "physicalLocation": physical_location(location)}
    if location.cell is not None:
        # The region counts lines inside this notebook cell.
        result["properties"] = {"cell": location.cell}
    return result


def sarif_fix(path: str, fix: Fix) -> dict[str, Any]:
    return {
        "description": {"text": fix.description + ("" if fix.safe else " (unsafe)")},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(path),
                "replacements": [
                    {
                        "deletedRegion": region(e.line, e.column, e.end_line, e.end_column),
                        "insertedContent": {"text": e.content},
                    }
                    for e in fix.edits
                ],
            }
        ],
    }


def result(diagnostic: Diagnostic) -> dict[str, Any]:
    """One finding as a SARIF result."""
    entry: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": _RULE_INDEX[diagnostic.code],
        "level": "error",
        "message": {"text": diagnostic.message},
        "locations": [sarif_location(diagnostic.location)],
    }
    if diagnostic.related:
        entry["relatedLocations"] = [
            sarif_location(related, id=index, message={"text": related.note or "related"})
            for index, related in enumerate(diagnostic.related)
        ]
    if diagnostic.fix is not None and diagnostic.fix.edits:
        entry["fixes"] = [sarif_fix(diagnostic.location.path, diagnostic.fix)]
    return entry


def sarif_log(diagnostics: Sequence[Diagnostic], root: Path | None = None) -> dict[str, Any]:
    """The SARIF log of one run; ``root`` (default: the working directory) is %SRCROOT%."""
    root_uri = (root or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "losslint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(rule) for rule in RULES],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": [result(diagnostic) for diagnostic in diagnostics],
            }
        ],
    }


def _printable(value: Any) -> Any:
    """``value`` with every string's undecodable bytes (surrogate escapes, from a file
    name that is not UTF-8) written as ``\\xff``, as Python shows them: a SARIF reader
    must get valid Unicode."""
    if isinstance(value, str):
        try:
            data = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
            data = value.encode("utf-8", "backslashreplace")
        return data.decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    return value


def render(diagnostics: Sequence[Diagnostic], lines_of: SourceLines | None = None) -> str:
    return json.dumps(_printable(sarif_log(diagnostics)), indent=2) + "\n"
