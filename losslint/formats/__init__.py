"""Output formats of ``losslint check``: one module per format, picked by name.

Each format turns the run's diagnostics into the text the CLI writes. Formats
that quote source (``grouped``) read it through a ``SourceLines`` callable, so
that stdin content is quoted as the linter saw it, not the file on disk.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from losslint.diagnostics import Diagnostic
from losslint.formats import github, grouped, json, sarif, statistics, text

# path -> the file's lines (as the linter numbers them), or None when unreadable.
SourceLines = Callable[[str], Sequence[str] | None]
Formatter = Callable[[Sequence[Diagnostic], SourceLines], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json.render,
    "sarif": sarif.render,
    "github": github.render,
    "grouped": grouped.render,
}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATTERS)

# Python's tokenizer (and libcst) break lines at these only; str.splitlines also
# breaks at form feeds and Unicode separators, which would shift line numbers.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def render(
    name: str,
    diagnostics: Sequence[Diagnostic],
    lines_of: SourceLines,
    unsafe_fixes: bool = False,
) -> str:
    """The whole output of format ``name``; raises KeyError for an unknown name.

    With ``unsafe_fixes`` the flake8 lines mark unsafe fixes ``[*]`` too, as they
    would be applied (the grouped format marks them ``[~]`` either way)."""
    if name == "text":
        return text.render(diagnostics, lines_of, unsafe_fixes=unsafe_fixes)
    return FORMATTERS[name](diagnostics, lines_of)


def render_statistics(diagnostics: Sequence[Diagnostic], as_json: bool = False) -> str:
    """Counts per code (``--statistics``), as a table or as JSON."""
    counts = statistics.count(diagnostics)
    return statistics.render_json(counts) if as_json else statistics.render_text(counts)


def split_lines(source: str) -> list[str]:
    """``source`` cut into lines where Python's tokenizer cuts it, without the breaks."""
    lines = _LINE_BREAK.split(source)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def decode_source(data: bytes) -> str:
    """Source bytes as text, honouring a PEP 263 coding cookie; undecodable bytes replaced."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def encode_source(text: str) -> bytes:
    """Source text back to the bytes the linter reads: in the encoding its PEP 263
    cookie declares (a latin-1 file encoded as UTF-8 would turn each non-ASCII
    character into two, and shift the columns after it)."""
    data = text.encode("utf-8", errors="surrogateescape")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return data
    if encoding in ("utf-8", "utf-8-sig"):
        return data
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeError):
        return data


def source_lines(overrides: Mapping[str, bytes] | None = None) -> SourceLines:
    """A ``SourceLines`` reading ``overrides`` (stdin, by display name) first, then the disk."""
    cache: dict[str, list[str] | None] = {}
    overrides = overrides or {}

    def lines_of(path: str) -> list[str] | None:
        if path not in cache:
            data = overrides.get(path)
            if data is None:
                try:
                    data = Path(path).read_bytes()
                except OSError:
                    cache[path] = None
                    return None
            cache[path] = split_lines(decode_source(data))
        return cache[path]

    return lines_of


__all__ = [
    "FORMATTERS",
    "FORMAT_NAMES",
    "Formatter",
    "SourceLines",
    "decode_source",
    "encode_source",
    "render",
    "render_statistics",
    "source_lines",
    "split_lines",
]
