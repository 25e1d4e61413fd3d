"""The language server: losslint's findings and fixes in any editor that speaks LSP.

``losslint server`` runs it over stdio (pygls, the ``lsp`` extra). It lints the
editor's buffer, not the file on disk, on open, change and save, and publishes
each finding with its catalog code, a link to the rule page and the origin of
the bad value (the softmax line) as related information. Code actions: the
finding's fix when it has one, "disable for this line" (a ``# noqa: LLxxx``
comment), and ``source.fixAll.losslint``: every safe fix at once, applied and
verified as ``losslint check --fix`` does.

This module is a front end: the linter never imports it, and the functions that
turn diagnostics into LSP values take plain data so they can be tested without
a server.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from losslint import __version__
from losslint.analysis.project import Project
from losslint.catalog import BY_CODE
from losslint.config import ConfigError, load_config, selection_from
from losslint.diagnostics import Diagnostic, Edit, Location
from losslint.discovery import is_excluded
from losslint.fixes import applicable
from losslint.fixes.rounds import fix_bytes
from losslint.formats import decode_source, encode_source, source_lines, split_lines
from losslint.linter import lint_bytes
from losslint.noqa import _NOQA as NOQA_COMMENT
from losslint.selection import Selection

SOURCE = "losslint"
FIX_ALL = "source.fixAll.losslint"
QUICK_FIX = types.CodeActionKind.QuickFix.value
# The line breaks Python's tokenizer, and so the linter's positions, count.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Document:
    """An editor buffer as the linter sees it: its text, and how the client counts columns.

    Lines and 1-based columns are the linter's (code points); ``encoding`` is the
    position encoding agreed with the client (UTF-16 unless it offered another).
    """

    uri: str
    text: str
    encoding: str = types.PositionEncodingKind.Utf16.value

    @cached_property
    def path(self) -> str:
        """The file system path of a ``file:`` document; the URI itself otherwise."""
        return to_fs_path(self.uri) or self.uri

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    def position(self, line: int, column: int) -> types.Position:
        """The LSP position of the linter's (1-based line, 1-based column)."""
        return _client_position(self.lines, line, column, self.encoding)

    def range(self, location: Location | Edit) -> types.Range:
        start = self.position(location.line, location.column)
        if location.end_line is None or location.end_column is None:
            # Only a position is known (a file that does not parse): mark to the line's end.
            end = self.position(location.line, len(self._line(location.line)) + 1)
        else:
            end = self.position(location.end_line, location.end_column)
        return types.Range(start=start, end=end)

    def _line(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def _units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in the client's position encoding."""
    if encoding == types.PositionEncodingKind.Utf8.value:
        return len(text.encode("utf-8", errors="surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32.value:
        return len(text)
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def _client_position(lines: Sequence[str], line: int, column: int, encoding: str):
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return types.Position(line=max(line - 1, 0), character=_units(text[: column - 1], encoding))


# ------------------------------------------------------------------ linting


def selection_for(path: str) -> Selection | None:
    """The selection ``[tool.losslint]`` gives ``path``; None when config excludes it.

    A broken configuration raises ConfigError: the server says so once and
    falls back to every rule.
    """
    config = load_config(Path(path))
    if is_excluded(Path(path), config.excludes, config.root):
        return None
    return selection_from(config, None, None, None)


def lint_document(
    document: Document, selection: Selection | None = None, project: Project | None = None
) -> list[Diagnostic]:
    """The findings of ``document``'s current text that lie in this document.

    ``project`` is what the document's imports resolve to; a server passes the one it
    kept from the previous check (:class:`Projects`), so that a re-check after an edit
    does not parse and summarise the imported modules again."""
    diagnostics = lint_bytes(encode_source(document.text), document.path, selection, project)
    return [d for d in diagnostics if d.location.path == document.path]


class Projects:
    """One project per document path, kept across re-checks while every file it read is
    unchanged on disk. A save in the editor forgets them all: it may have made a module
    an import now finds."""

    def __init__(self) -> None:
        self._by_path: dict[str, Project] = {}

    def for_path(self, path: str) -> Project:
        project = self._by_path.get(path)
        if project is None or not project.unchanged():
            project = self._by_path[path] = Project([Path(path)])
        return project

    def forget(self) -> None:
        self._by_path.clear()


# ---------------------------------------------------------- LSP conversion


def lsp_diagnostic(diagnostic: Diagnostic, document: Document) -> types.Diagnostic:
    """``diagnostic`` as an LSP diagnostic: code, rule page link, related origins."""
    rule = BY_CODE[diagnostic.code]
    return types.Diagnostic(
        range=document.range(diagnostic.location),
        message=diagnostic.message,
        severity=types.DiagnosticSeverity.Warning,
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule.url),
        source=SOURCE,
        related_information=[
            types.DiagnosticRelatedInformation(
                location=_lsp_location(related, document),
                message=related.note or rule.name,
            )
            for related in diagnostic.related
        ]
        or None,
        data={"name": rule.name, "fixable": diagnostic.fix is not None},
    )


def _lsp_location(location: Location, document: Document) -> types.Location:
    if location.path == document.path:
        return types.Location(uri=document.uri, range=document.range(location))
    # An origin in another file: positions are counted on that file as saved.
    other = Document(
        uri=from_fs_path(str(Path(location.path).resolve())) or location.path,
        text="\n".join(source_lines()(location.path) or ()),
        encoding=document.encoding,
    )
    return types.Location(uri=other.uri, range=other.range(location))


def text_edit(edit: Edit, document: Document) -> types.TextEdit:
    return types.TextEdit(range=document.range(edit), new_text=edit.content)


def _workspace_edit(document: Document, edits: Iterable[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={document.uri: list(edits)})


def quick_fix(diagnostic: Diagnostic, document: Document) -> types.CodeAction | None:
    """The finding's own fix as a quick fix; None when it has none."""
    fix = diagnostic.fix
    if fix is None or not fix.edits:
        return None
    title = f"{fix.description} ({diagnostic.code})"
    if not fix.safe:
        title += " — unsafe: check the result"
    return types.CodeAction(
        title=title,
        kind=QUICK_FIX,
        diagnostics=[lsp_diagnostic(diagnostic, document)],
        is_preferred=fix.safe,
        edit=_workspace_edit(document, (text_edit(e, document) for e in fix.edits)),
    )


def noqa_action(diagnostic: Diagnostic, document: Document) -> types.CodeAction | None:
    """ "Disable LLxxx for this line": a noqa comment where the linter looks for it.

    That is the finding's first line. None when a comment cannot go there: the
    line ends inside a multi-line string or continues with a backslash.
    """
    if diagnostic.code == "LL000":  # a file that does not parse has no line to annotate
        return None
    number = diagnostic.location.line
    if not 0 < number <= len(document.lines) or number in _lines_ending_in_strings(document):
        return None
    line = document.lines[number - 1]
    body = line.rstrip()
    if body.endswith("\\"):
        return None
    edit = _extend_noqa(line, number, diagnostic.code) or Edit(
        number, len(body) + 1, number, len(line) + 1, f"  # noqa: {diagnostic.code}"
    )
    return types.CodeAction(
        title=f"Disable {diagnostic.code} for this line",
        kind=QUICK_FIX,
        diagnostics=[lsp_diagnostic(diagnostic, document)],
        edit=_workspace_edit(document, [text_edit(edit, document)]),
    )


def _extend_noqa(line: str, number: int, code: str) -> Edit | None:
    """An edit adding ``code`` to the line's ``# noqa: ...`` list, if it has one."""
    for match in NOQA_COMMENT.finditer(line):
        if match.group("codes") is not None:
            end = match.end("codes") + 1
            return Edit(number, end, number, end, f", {code}")
    return None


def _lines_ending_in_strings(document: Document) -> frozenset[int]:
    """Lines whose end lies inside a string token (a comment there would be text)."""
    kinds = {tokenize.STRING}
    if hasattr(tokenize, "FSTRING_MIDDLE"):  # Python 3.12+
        kinds.add(tokenize.FSTRING_MIDDLE)
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(document.text).readline):
            if token.type in kinds and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        pass
    return frozenset(inside)


def fix_all(
    diagnostics: Sequence[Diagnostic], document: Document, selection: Selection | None = None
) -> types.CodeAction | None:
    """Every safe fix of the document, as ``losslint check --fix`` applies them.

    The fixes are applied in verified rounds (losslint.fixes.rounds), so the
    edit is what the command line would write; None when nothing would change.
    """
    if not any(applicable(d) for d in diagnostics):
        return None  # the cheap answer for most requests: no fix, no second lint
    result = fix_bytes(encode_source(document.text), document.path, selection)
    if not result.changed:
        return None
    return types.CodeAction(
        title="losslint: apply all safe fixes",
        kind=FIX_ALL,
        edit=_workspace_edit(document, [_replacement(document, decode_source(result.fixed))]),
    )


def _replacement(document: Document, new: str) -> types.TextEdit:
    """One edit turning the document into ``new``: the span between what they share."""
    old = document.text
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start, end = _line_column(old, prefix), _line_column(old, len(old) - suffix)
    return types.TextEdit(
        range=types.Range(start=document.position(*start), end=document.position(*end)),
        new_text=new[prefix : len(new) - suffix],
    )


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of a code-point ``offset`` into ``text``."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return line, offset - start + 1


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether a client asking for ``only`` kinds wants an action of ``kind``."""
    if not only:
        return True
    return any(kind == asked or kind.startswith(f"{asked}.") for asked in only)


def _touches(lsp_range: types.Range, asked: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return (position.line, position.character)

    return key(lsp_range.start) <= key(asked.end) and key(asked.start) <= key(lsp_range.end)


def code_actions(
    diagnostics: Sequence[Diagnostic],
    document: Document,
    asked: types.Range,
    only: Sequence[str] | None = None,
    selection: Selection | None = None,
) -> list[types.CodeAction]:
    """The code actions for the findings touching ``asked``, and fix-all for the document."""
    actions: list[types.CodeAction] = []
    if _wanted(QUICK_FIX, only):
        for diagnostic in diagnostics:
            if not _touches(document.range(diagnostic.location), asked):
                continue
            for action in (quick_fix(diagnostic, document), noqa_action(diagnostic, document)):
                if action is not None:
                    actions.append(action)
    if _wanted(FIX_ALL, only):
        action = fix_all(diagnostics, document, selection)
        if action is not None:
            actions.append(action)
    return actions


# ------------------------------------------------------------------ server


@dataclass(frozen=True)
class Linted:
    """One version of a document, the selection it was linted with, and its findings."""

    document: Document
    version: int | None
    selection: Selection | None  # None: excluded by the configuration
    diagnostics: list[Diagnostic]


class LossLintServer(LanguageServer):
    """Keeps the findings of each open document's latest version for its code actions."""

    def __init__(self) -> None:
        super().__init__("losslint", __version__)
        self.linted: dict[str, Linted] = {}
        self.projects = Projects()
        self._warned_config: set[str] = set()

    def document(self, uri: str) -> Document:
        text_document = self.workspace.get_text_document(uri)
        encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return Document(uri, text_document.source, str(getattr(encoding, "value", encoding)))

    def lint(self, uri: str) -> Linted:
        """The findings of the document's current version (cached per version)."""
        version = self.workspace.get_text_document(uri).version
        cached = self.linted.get(uri)
        if cached is not None and version is not None and cached.version == version:
            return cached
        document = self.document(uri)
        try:
            selection = selection_for(document.path)
        except ConfigError as error:
            self._warn_config(str(error))
            selection = Selection()
        diagnostics = []
        if selection is not None:
            project = self.projects.for_path(document.path)
            diagnostics = lint_document(document, selection, project)
        self.linted[uri] = Linted(document, version, selection, diagnostics)
        return self.linted[uri]

    def publish(self, uri: str) -> None:
        try:
            linted = self.lint(uri)
        except Exception as error:  # noqa: BLE001 - a lint failure must not stop the server
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error, message=f"losslint: {uri}: {error!r}"
                )
            )
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                version=linted.version,
                diagnostics=[lsp_diagnostic(d, linted.document) for d in linted.diagnostics],
            )
        )

    def forget(self, uri: str) -> None:
        self.linted.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def _warn_config(self, message: str) -> None:
        if message in self._warned_config:
            return
        self._warned_config.add(message)
        self.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning,
                message=f"losslint: {message}; checking with every rule",
            )
        )


def create_server() -> LossLintServer:
    """A server with losslint's handlers registered."""
    server = LossLintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LossLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LossLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LossLintServer, params: types.DidSaveTextDocumentParams) -> None:
        # The buffer did not change, but files it imports may have: lint afresh.
        ls.linted.pop(params.text_document.uri, None)
        ls.projects.forget()
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LossLintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[QUICK_FIX, FIX_ALL]),
    )
    def code_action(ls: LossLintServer, params: types.CodeActionParams):
        linted = ls.lint(params.text_document.uri)
        only = [str(getattr(k, "value", k)) for k in params.context.only or ()] or None
        return code_actions(
            linted.diagnostics, linted.document, params.range, only, linted.selection
        )

    return server


def serve() -> None:
    """Run the language server on stdin/stdout until the client exits."""
    create_server().start_io()
