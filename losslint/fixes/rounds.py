"""Applying fixes to one file's source: in rounds, each verified, until none is left.

Every round lints the current text, takes the applicable fixes whose edits do not
overlap (the first by position wins; the others wait for the next round, when
they are rebuilt on the new text), applies them, and keeps the result only if it
still parses — for LibCST and, when the original compiled, for Python itself.
A fix that breaks the file is dropped, never written. The rounds stop when
nothing applicable is left, when the text comes back to one already seen, or
after :data:`MAX_ROUNDS`.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from losslint.diagnostics import Diagnostic
from losslint.fixes import applicable
from losslint.fixes.text import SourceText, apply_edits, edits_overlap
from losslint.linter import lint_bytes
from losslint.selection import Selection

MAX_ROUNDS = 10


@dataclass(frozen=True)
class FixResult:
    """What fixing one file did."""

    path: str
    original: bytes
    fixed: bytes
    found: tuple[Diagnostic, ...]  # what the original source reports
    applied: tuple[Diagnostic, ...]  # the findings whose fixes were applied, as reported
    remaining: tuple[Diagnostic, ...]  # what the fixed source still reports
    converged: bool  # False when applicable fixes were still left after MAX_ROUNDS

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_bytes(
    data: bytes,
    path: str,
    selection: Selection | None = None,
    unsafe: bool = False,
    project=None,
) -> FixResult:
    """Apply every applicable fix to ``data`` (the content of ``path``); writes nothing.

    ``unsafe`` also applies fixes marked unsafe. Bytes that would not survive a
    decode/encode round trip (odd encodings, undecodable bytes) are left alone.
    """
    diagnostics = _lint(data, path, selection, project)
    found = tuple(diagnostics)
    try:
        source = SourceText.decode(data)
    except ValueError:
        return FixResult(path, data, data, tuple(diagnostics), (), tuple(diagnostics), True)
    compiles = _compiles(source.text)
    applied: list[Diagnostic] = []
    seen = {source.text}
    converged = False
    for _ in range(MAX_ROUNDS):
        chosen = _choose(diagnostics, path, unsafe, source.text)
        if not chosen:
            converged = True
            break
        outcome = _apply_verified(source.text, chosen, compiles)
        if outcome is None or outcome[0] in seen:
            converged = True  # nothing left that applies without breaking the file
            break
        text, kept = outcome
        seen.add(text)
        applied.extend(kept)
        source = source.with_text(text)
        diagnostics = _lint(source.encode(), path, selection, project)
    else:
        converged = not _choose(diagnostics, path, unsafe, source.text)
    fixed = source.encode()
    return FixResult(path, data, fixed, found, tuple(applied), tuple(diagnostics), converged)


def _lint(data: bytes, path: str, selection: Selection | None, project) -> list[Diagnostic]:
    return lint_bytes(data, path, selection, project)


def _choose(
    diagnostics: Sequence[Diagnostic], path: str, unsafe: bool, text: str
) -> list[Diagnostic]:
    """Applicable fixes of this file, first by position, none overlapping another."""
    if any(d.code == "LL000" for d in diagnostics):
        return []
    chosen: list[Diagnostic] = []
    for diagnostic in diagnostics:
        # A finding placed in another file (a shared function) is fixed with that file.
        if diagnostic.location.path != path or not applicable(diagnostic, unsafe):
            continue
        edits = diagnostic.fix.edits
        try:
            apply_edits(text, edits)
            if any(edits_overlap(edits, other.fix.edits, text) for other in chosen):
                continue
        except ValueError:
            continue  # edits outside the text, or overlapping one another
        chosen.append(diagnostic)
    return chosen


def _apply_verified(
    text: str, chosen: Sequence[Diagnostic], compiles: bool
) -> tuple[str, list[Diagnostic]] | None:
    """The text with the chosen fixes applied, less any fix that breaks it."""
    together = _attempt(text, chosen, compiles)
    if together is not None:
        return together, list(chosen)
    kept: list[Diagnostic] = []
    for diagnostic in chosen:
        if _attempt(text, [*kept, diagnostic], compiles) is not None:
            kept.append(diagnostic)
    result = _attempt(text, kept, compiles) if kept else None
    return (result, kept) if result is not None else None


def _attempt(text: str, diagnostics: Sequence[Diagnostic], compiles: bool) -> str | None:
    edits = [edit for diagnostic in diagnostics for edit in diagnostic.fix.edits]
    try:
        fixed = apply_edits(text, edits)
    except ValueError:
        return None
    if fixed == text or not parses(fixed, compiles):
        return None
    return fixed


def parses(text: str, compiles: bool = True) -> bool:
    """Whether LibCST parses ``text`` and, when ``compiles``, Python compiles it too."""
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return not compiles or _compiles(text)


def _compiles(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<losslint-fix>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
