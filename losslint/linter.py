"""Lint one file: bytes in, diagnostics out. Errors become LL000, never exceptions."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import Accumulation, CallSite, ScopeEnd
from losslint.analysis.interpreter import Interpreter
from losslint.analysis.program import SourceFile
from losslint.analysis.project import Project
from losslint.checks import ALL_CHECKS, Check, Finding, Report
from losslint.codefacts import CodeFacts
from losslint.diagnostics import Diagnostic, Location
from losslint.fixes import fix_for
from losslint.ipython import without_ipython
from losslint.noqa import suppressed
from losslint.notebook import Notebook, NotebookError, load_notebook
from losslint.selection import Selection


class _Dispatch:
    """Hands each event of the interpreter to every active rule."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks

    def on_call(self, site: CallSite) -> None:
        for check in self.checks:
            check.context, check.event = site.context, site
            check.on_call(site)

    def on_accumulate(self, site: Accumulation) -> None:
        for check in self.checks:
            check.context, check.event = site.context, site
            check.on_accumulate(site)

    def on_scope_end(self, scope: ScopeEnd) -> None:
        for check in self.checks:
            check.context, check.event = scope.context, scope
            check.on_scope_end(scope)


def active_checks(selection: Selection, path: str | None) -> list[type[Check]]:
    codes = selection.static_codes(path)
    return [check for check in ALL_CHECKS if check.code in codes]


def may_have_findings(data: bytes, checks: list[type[Check]]) -> bool:
    """Decide from the bytes alone: a file naming nothing a rule needs has no finding."""
    return any(check.may_apply(data) for check in checks)


def names_a_loss(facts: CodeFacts) -> bool:
    """Whether a file's code names a torch loss, or takes a log where an activation is
    named: a log next to an activation is a loss written by hand (LL005's
    `torch.log(actor(obs))`), its calls need following as much as a torch loss's."""
    if facts.mentions(torchapi.LOSS_NAME_PATTERNS):
        return True
    return facts.may_call_torch_log() and facts.mentions(_ACTIVATION_NAMES)


def _wired(data: bytes, path: str, project: Project) -> bool:
    """Whether a project module the file imports mentions a loss: its calls may bind the
    model and criterion that module's loss is called with."""
    return project.imports_mention(Path(path), data, torchapi.LOSS_NAME_PATTERNS)


def lint_bytes(
    data: bytes,
    path: str,
    selection: Selection | None = None,
    project: Project | None = None,
) -> list[Diagnostic]:
    """Diagnostics for one file. ``project`` resolves imports of the other files scanned;
    without one, the file's own folder is the project."""
    selection = selection or Selection()
    checks = active_checks(selection, path)
    if not checks:
        return []
    if project is None:
        project = Project([Path(path)])
    loss_in_bytes = any(pattern in data for pattern in torchapi.LOSS_NAME_PATTERNS) or (
        b"log(" in data and any(name in data for name in _ACTIVATION_NAMES)
    )
    wired = not loss_in_bytes and _wired(data, path, project)
    if not may_have_findings(data, checks) and not wired:
        # A file no rule can flag, importing no project module that calls a loss, is
        # never parsed (DESIGN.md, "Speed"), so a syntax error in it goes unreported:
        # LL000 is about files losslint had to read.
        return []
    notebook = None
    if path.endswith(".ipynb"):
        try:
            notebook = load_notebook(data)
        except NotebookError as error:
            return _unparsable(path, selection, f"cannot read notebook: {error}", 1, 1)
        data = notebook.code.encode("utf-8")
    refusal, syntax_error, tree = _cpython_verdict(data)
    if refusal is not None:
        return _unparsable(path, selection, refusal, 1, 1)
    rewritten = False
    if syntax_error is not None and notebook is None:
        # A script written for IPython (`%matplotlib inline`, `!pip install`) is read as a
        # notebook cell is: only when it fails as it is and parses once made Python.
        candidate = without_ipython(data)
        if candidate != data:
            refusal, candidate_error, candidate_tree = _cpython_verdict(candidate)
            if refusal is None and candidate_error is None:
                data, syntax_error, tree, rewritten = candidate, None, candidate_tree, True
            elif candidate_error is not None and candidate_error.lineno is not None:
                # Its IPython lines are not the error: the first line that is, is.
                syntax_error = candidate_error
    # Following calls across functions and files serves the rules at a loss call; a
    # file whose code names no loss and imports none gets the local rules only (a
    # softmax without dim), walked without following calls: the internals of a big
    # library mention softmax everywhere. Its code may show that none of those rules
    # has a place to report: then it is not parsed again, nor walked.
    reaches_a_loss = loss_in_bytes or wired
    if tree is not None:
        facts = CodeFacts(tree)
        if loss_in_bytes and not names_a_loss(facts):
            # Named in comments and docstrings only, or a log of math's or numpy's.
            reaches_a_loss = _wired(data, path, project)
        if not reaches_a_loss and not any(c.may_report_without_loss(facts) for c in checks):
            return []
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        message = f"cannot parse: {_one_line(error.message)}"
        line, column = error.raw_line, error.raw_column + 1
        located = _locate(syntax_error, notebook)
        if located is not None:
            message, line, column = located
        unparsable = _unparsable(path, selection, message, line, column)
        return [notebook.place_diagnostic(d) for d in unparsable] if notebook else unparsable
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        return _unparsable(path, selection, f"cannot decode: {_one_line(str(error))}", 1, 1)
    except RecursionError:
        return _unparsable(path, selection, "too deeply nested to parse", 1, 1)
    source = SourceFile(path=path, module=module, notebook=notebook)
    report = Report()
    instances = [check(report) for check in checks]
    try:
        Interpreter(
            source,
            _Dispatch(instances),
            data,
            project=project,
            shallow=not reaches_a_loss,
        ).run()
    except RecursionError:
        return _unparsable(path, selection, "too deeply nested to analyse", 1, 1)
    diagnostics = _diagnostics(report.findings, source, selection)
    if rewritten:
        # A fix is verified by parsing the fixed file, which its IPython lines fail.
        diagnostics = [replace(d, fix=None) for d in diagnostics]
    return diagnostics


def lint_path(
    path: Path,
    selection: Selection | None = None,
    display: str | None = None,
    project: Project | None = None,
):
    """Lint a file on disk; a file that cannot be read is LL000."""
    display = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return _unparsable(display, selection or Selection(), f"cannot read: {reason}", 1, 1)
    return lint_bytes(data, display, selection, project)


def _diagnostics(findings: list[Finding], source: SourceFile, selection: Selection):
    """Findings as diagnostics, less those silenced by noqa or selection.

    A finding may lie in another file than the one linted (a function of that file
    called with this file's model), so each is placed with its own source."""
    lines: dict[str, list[str]] = {}
    result = []
    for finding in findings:
        found_in = finding.source
        location = found_in.location(finding.node)
        if found_in.path not in lines:
            lines[found_in.path] = found_in.module.code.splitlines()
        file_lines = lines[found_in.path]
        line = found_in.position(finding.node).start.line  # in the program, not a cell
        text = file_lines[line - 1] if 0 < line <= len(file_lines) else ""
        if suppressed(text, finding.code) or not selection.enabled(finding.code, found_in.path):
            continue
        related = tuple(
            sorted(
                {
                    origin.source.location(origin.node, note=f"{origin.what} here")
                    for origin in finding.origins
                },
                key=lambda r: (r.path, r.cell or 0, r.line, r.column, r.note),
            )
        )
        fix = finding.fix if finding.fix is not None else fix_for(finding)
        result.append(Diagnostic(finding.code, finding.message, location, related, fix))
    return sorted(result, key=Diagnostic.sort_key)


_ACTIVATION_NAMES = (b"softmax", b"Softmax", b"sigmoid", b"Sigmoid", b"expit")

MAX_FILE_BYTES = 10 * 1024 * 1024


def _cpython_verdict(data: bytes) -> tuple[str | None, SyntaxError | None, ast.Module | None]:
    """Why a file must not reach LibCST's parser, if it must not; the syntax error
    CPython finds in it, if any; and CPython's syntax tree when it parses.

    A generated file of tens of megabytes would take minutes and gigabytes; nesting
    deeper than CPython itself accepts overflows the native parser's stack and kills
    the process (a segmentation fault no ``except`` can catch). CPython's own parser
    tells the second cheaply and safely. Where LibCST then fails too, CPython's error
    is the one reported: LibCST's native parser places it late (often a line after the
    error) and words it in its own grammar's tokens."""
    if len(data) > MAX_FILE_BYTES:
        size = len(data) / (1024 * 1024)
        limit = MAX_FILE_BYTES >> 20
        return f"too large to analyse ({size:.1f} MB; the limit is {limit} MB)", None, None
    try:
        return None, None, ast.parse(data)
    except (RecursionError, MemoryError):
        return "too deeply nested to parse", None, None
    except SyntaxError as error:
        if "too many nested" in str(error):
            return "too deeply nested to parse", None, None
        return None, error, None
    except ValueError:  # null bytes: LibCST reports it as it sees it
        return None, None, None


def _locate(error: SyntaxError | None, notebook: Notebook | None) -> tuple[str, int, int] | None:
    """LL000's message, line and column from CPython's syntax error (program lines).

    In a notebook, each cell runs on its own: the first cell that does not parse
    alone holds the error, even when the joined program fails further on (a bracket
    left open in one cell swallows the next ones)."""
    if error is None or error.lineno is None:
        return None
    offset = 0
    if notebook is not None:
        for start, code in notebook.cell_codes():
            _, cell_error, _ = _cpython_verdict(code.encode("utf-8"))
            if cell_error is not None and cell_error.lineno is not None:
                error, offset = cell_error, start - 1
                break
    return f"cannot parse: {_one_line(error.msg)}", offset + error.lineno, error.offset or 1


def _unparsable(path: str, selection: Selection, message: str, line: int, column: int):
    if not selection.enabled("LL000", path):
        return []
    return [Diagnostic("LL000", message, Location(path, max(line, 1), max(column, 1)))]


def _one_line(text: str) -> str:
    return " ".join(text.split())
