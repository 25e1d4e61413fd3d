"""Lint one file: bytes in, diagnostics out. Errors become LL000, never exceptions."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from losslint.checks import ALL_CHECKS, Check, Finding, Report
from losslint.diagnostics import Diagnostic, Location
from losslint.interpret import Accumulation, CallSite, Interpreter
from losslint.noqa import suppressed
from losslint.program import SourceFile
from losslint.selection import Selection


class _Dispatch:
    """Hands each event of the interpreter to every active rule."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks

    def on_call(self, site: CallSite) -> None:
        for check in self.checks:
            check.on_call(site)

    def on_accumulate(self, site: Accumulation) -> None:
        for check in self.checks:
            check.on_accumulate(site)


def active_checks(selection: Selection, path: str | None) -> list[type[Check]]:
    codes = selection.static_codes(path)
    return [check for check in ALL_CHECKS if check.code in codes]


def may_have_findings(data: bytes, checks: list[type[Check]]) -> bool:
    """Decide from the bytes alone: a file naming nothing a rule needs has no finding."""
    return any(pattern in data for check in checks for pattern in check.needs)


def lint_bytes(data: bytes, path: str, selection: Selection | None = None) -> list[Diagnostic]:
    selection = selection or Selection()
    checks = active_checks(selection, path)
    if not checks or not may_have_findings(data, checks):
        # A file no rule can flag is never parsed (DESIGN.md, "Speed"), so a syntax
        # error in it goes unreported: LL000 is about files losslint had to read.
        return []
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        return _unparsable(
            path,
            selection,
            f"cannot parse: {_one_line(error.message)}",
            error.raw_line,
            error.raw_column + 1,
        )
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        return _unparsable(path, selection, f"cannot decode: {_one_line(str(error))}", 1, 1)
    except RecursionError:
        return _unparsable(path, selection, "too deeply nested to parse", 1, 1)
    source = SourceFile(path=path, module=module)
    report = Report()
    instances = [check(report) for check in checks]
    try:
        Interpreter(source, _Dispatch(instances), data).run()
    except RecursionError:
        return _unparsable(path, selection, "too deeply nested to analyse", 1, 1)
    return _diagnostics(report.findings, source, selection)


def lint_path(path: Path, selection: Selection | None = None, display: str | None = None):
    """Lint a file on disk; a file that cannot be read is LL000."""
    display = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return _unparsable(display, selection or Selection(), f"cannot read: {reason}", 1, 1)
    return lint_bytes(data, display, selection)


def _diagnostics(findings: list[Finding], source: SourceFile, selection: Selection):
    lines = source.module.code.splitlines()
    result = []
    for finding in findings:
        location = source.location(finding.node)
        text = lines[location.line - 1] if 0 < location.line <= len(lines) else ""
        if suppressed(text, finding.code) or not selection.enabled(finding.code, source.path):
            continue
        related = tuple(
            origin.source.location(origin.node, note=f"{origin.what} here")
            for origin in finding.origins
        )
        result.append(Diagnostic(finding.code, finding.message, location, related, finding.fix))
    return sorted(result, key=Diagnostic.sort_key)


def _unparsable(path: str, selection: Selection, message: str, line: int, column: int):
    if not selection.enabled("LL000", path):
        return []
    return [Diagnostic("LL000", message, Location(path, max(line, 1), max(column, 1)))]


def _one_line(text: str) -> str:
    return " ".join(text.split())
