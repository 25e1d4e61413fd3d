"""losslint as a flake8 plugin: its findings under the ``LL`` prefix.

Registered as the ``flake8.extension`` entry point ``LL``, so ``flake8 --select LL``
reports what ``losslint check`` reports, and flake8's own ``# noqa``,
``--select``/``--ignore`` and per-file ignores apply on top. The plugin lints the
text flake8 read (a file or stdin), not the file on disk, so an editor that pipes
an unsaved buffer through flake8 sees findings for what it shows.

flake8 only runs plugins that take ``tree`` (or a logical/physical line); the
tree is ignored: losslint parses with libcst, which keeps what it needs to
report (exact positions, the original text for messages).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from losslint import __version__
from losslint.formats import encode_source
from losslint.linter import lint_bytes


class LossLintPlugin:
    name = "losslint"
    version = __version__

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        """(line, 0-based column, "LLxxx message", type) for each finding in this file."""
        for diagnostic in lint_bytes(encode_source("".join(self.lines)), self.filename):
            location = diagnostic.location
            # A finding can lie in another file (a helper called from here); flake8
            # can only report on the file it is checking.
            if location.path != self.filename or location.cell is not None:
                continue
            yield (
                location.line,
                location.column - 1,
                f"{diagnostic.code} {diagnostic.message}",
                type(self),
            )
