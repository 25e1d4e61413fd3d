"""losslint as a flake8 plugin: its findings under the ``LL`` prefix.

Registered as the ``flake8.extension`` entry point ``LL``, so ``flake8 --select LL``
reports what ``losslint check`` reports, and flake8's own ``# noqa``,
``--select``/``--ignore`` and per-file ignores apply on top. The plugin lints the
text flake8 read (a file or stdin), not the file on disk, so an editor that pipes
an unsaved buffer through flake8 sees findings for what it shows.

flake8 only runs plugins that take ``tree`` (or a logical/physical line); the
tree is ignored: losslint parses with libcst, which keeps what it needs to
report (exact positions, the original text for messages).

losslint's own settings apply as they do for ``losslint check``: the nearest
``losslint.toml`` or ``[tool.losslint]`` gives ``select``/``ignore``/
``extend-select``, ``per-file-ignores`` and the excludes (flake8 names every file
itself, so an excluded file is skipped whatever its name). flake8's own options
then filter what is left.
"""

from __future__ import annotations

import ast
import functools
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from losslint import __version__
from losslint.config import Config, ConfigError, load_config, selection_from
from losslint.discovery import is_excluded_named
from losslint.formats import encode_source
from losslint.linter import lint_bytes
from losslint.selection import Selection

STDIN_NAMES = ("stdin", "-")


@functools.cache
def _config_for(folder: str) -> Config:
    """The settings of a folder, read once per flake8 process; a broken file is said once."""
    try:
        return load_config(Path(folder))
    except ConfigError as error:
        print(f"losslint: warning: {error}; using the default settings", file=sys.stderr)
        return Config()


def settings_for(filename: str) -> Selection | None:
    """The selection losslint's settings give ``filename``; None when they exclude it."""
    stdin = filename in STDIN_NAMES
    folder = os.getcwd() if stdin else os.path.dirname(os.path.abspath(filename))
    config = _config_for(folder)
    if not stdin and is_excluded_named(Path(filename), config.excludes, config.root):
        return None
    return selection_from(config, None, None, None)


class LossLintPlugin:
    name = "losslint"
    version = __version__

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        """(line, 0-based column, "LLxxx message", type) for each finding in this file."""
        selection = settings_for(self.filename)
        if selection is None:
            return
        source = encode_source("".join(self.lines))
        for diagnostic in lint_bytes(source, self.filename, selection):
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
