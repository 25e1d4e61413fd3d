"""A source file as text that can be written back byte for byte.

Fixes are computed on decoded text, in the columns LibCST reports (code points),
and written back in the file's own encoding: a PEP 263 cookie or a BOM survives,
and so do CRLF line endings and a missing final newline, since edits only ever
replace the spans they name.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass

from losslint.diagnostics import Edit

# The line breaks Python's tokenizer (and so LibCST's positions) counts.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class NotRoundTrip(ValueError):
    """The bytes do not decode and re-encode to themselves, so a fix could corrupt them."""


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # as ``tokenize.detect_encoding`` names it; "utf-8-sig" keeps a BOM

    @staticmethod
    def decode(data: bytes) -> SourceText:
        """Decode as Python does; raises :class:`NotRoundTrip` for bytes a rewrite would change."""
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError) as error:
            raise NotRoundTrip(f"cannot decode: {error}") from error
        source = SourceText(text, encoding)
        try:
            same = source.encode() == data
        except UnicodeEncodeError:
            same = False
        if not same:
            raise NotRoundTrip(f"does not re-encode to the same bytes as {encoding}")
        return source

    def encode(self) -> bytes:
        return self.text.encode(self.encoding)

    def with_text(self, text: str) -> SourceText:
        return SourceText(text, self.encoding)


def split_lines(text: str) -> list[str]:
    """Lines with their own line break kept (only ``\\r\\n``, ``\\r`` and ``\\n`` break)."""
    lines = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line; one more entry for a line after the end."""
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def offset(starts: Sequence[int], text: str, line: int, column: int) -> int:
    """The offset of a 1-based (line, column); raises ValueError when it lies outside ``text``."""
    if line == len(starts) + 1 and column == 1:
        return len(text)  # the start of the line after a file with no final newline
    if not 1 <= line <= len(starts):
        raise ValueError(f"line {line} is outside the text")
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(text)
    position = start + column - 1
    if not start <= position <= end:
        raise ValueError(f"column {column} is outside line {line}")
    return position


def span(text: str, edit: Edit, starts: Sequence[int] | None = None) -> tuple[int, int]:
    starts = starts if starts is not None else line_starts(text)
    begin = offset(starts, text, edit.line, edit.column)
    end = offset(starts, text, edit.end_line, edit.end_column)
    if end < begin:
        raise ValueError("an edit ends before it starts")
    return begin, end


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with every edit made; raises ValueError when two edits overlap."""
    starts = line_starts(text)
    spans = sorted((span(text, edit, starts), edit.content) for edit in edits)
    for (first, _), (second, _) in zip(spans, spans[1:], strict=False):
        if _overlap(first, second):
            raise ValueError("edits overlap")
    pieces = []
    cursor = 0
    for (begin, end), content in spans:
        pieces.append(text[cursor:begin])
        pieces.append(content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Two insertions at one point have no defined order, so they conflict too.
    return a[0] < b[1] and b[0] < a[1] or a[0] == b[0]


def edits_overlap(first: Sequence[Edit], second: Sequence[Edit], text: str) -> bool:
    starts = line_starts(text)
    return any(
        _overlap(span(text, a, starts), span(text, b, starts)) for a in first for b in second
    )
