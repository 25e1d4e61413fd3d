"""IPython syntax in Python source: magics, shell escapes and help requests.

Notebook cells, and scripts written for IPython (``# %%`` cell scripts), hold lines
that are not Python: ``%matplotlib inline``, ``!pip install``, ``files = !ls``,
``F.softmax?``. Each becomes ``pass`` at its indentation (an assigned one, a name
bound to an unknown value), so every other line keeps its number and column.

Such a line is IPython syntax only where a statement starts: ``%`` opening a line
inside brackets is Python's modulo (``print("%d"`` / ``% n)``), as is ``!=``, and a
line inside a triple-quoted string is text. The scanner below tracks brackets,
strings and backslash continuations line by line; Python's ``tokenize`` cannot do
it, since it stops at the IPython syntax it is asked to look past (and differs
between Python versions on ``!`` and ``?``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Cell magics whose body is Python run as usual (timed, profiled, output captured):
# only their first line is not Python. Any other (%%bash, %%writefile, %%html) is not code.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})

_ESCAPES = ("%", "!", "?")
_ASSIGNED = re.compile(r"(?P<target>[A-Za-z_][\w.]*)\s*=\s*[%!]")
# A cell marker of a script (jupytext's "percent" format, VS Code, Spyder, PyCharm).
_CELL_MARKER = re.compile(r"#\s*%%")
_LINE_END = re.compile(r"(\r\n|\r|\n)")
_BOM = "\xef\xbb\xbf"  # UTF-8's byte order mark, as Latin-1 reads it


def python_lines(lines: Sequence[str], cell_markers: bool = True) -> list[str]:
    """``lines`` (without their line ends) with every IPython line made Python.

    A cell magic that does not run Python (``%%bash``) makes the rest of its cell
    blank: up to the next ``# %%`` marker when ``cell_markers`` (a script), else to
    the end of ``lines`` (one notebook cell)."""
    scanner = _Scanner()
    result: list[str] = []
    foreign_cell = False
    magic_continues = False
    for line in lines:
        if foreign_cell:
            if cell_markers and _CELL_MARKER.match(line):
                foreign_cell = False
            else:
                result.append("")
                continue
        if magic_continues:  # a magic or shell line ending with a backslash goes on
            magic_continues = line.rstrip().endswith("\\")
            result.append("")
            continue
        if not scanner.at_statement_start:
            scanner.feed(line)
            result.append(line)
            continue
        code = line.lstrip()
        indent = line[: len(line) - len(code)]
        if code.startswith("%%"):
            name = code[2:].split(maxsplit=1)
            foreign_cell = not name or name[0] not in PYTHON_CELL_MAGICS
            result.append("" if foreign_cell else f"{indent}pass")
            continue
        assigned = _ASSIGNED.match(code)
        if code.startswith(_ESCAPES) or assigned is not None:
            # `x = %time f()` binds x to something unknown: an old value must not survive.
            result.append(f"{indent}{assigned['target']} = ..." if assigned else f"{indent}pass")
            magic_continues = code.rstrip().endswith("\\")
            continue
        last = scanner.feed(line)
        if last == "?" and scanner.at_statement_start:  # `obj?`, `obj.method??`
            result.append(f"{indent}pass")
            continue
        result.append(line)
    return result


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as Python counts them (``str.splitlines`` also breaks at
    form feeds and Unicode line separators, which Python keeps inside a line)."""
    lines = _LINE_END.split(text)[0::2]
    if len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def without_ipython(data: bytes) -> bytes:
    """A script's bytes with its IPython lines made Python, every other byte kept.

    Read as Latin-1, so that any bytes round-trip; the syntax looked at is ASCII,
    which UTF-8 and Latin-1 encode alike."""
    text = data.decode("latin-1")
    bom = _BOM if text.startswith(_BOM) else ""
    parts = _LINE_END.split(text[len(bom) :])
    lines, ends = parts[0::2], [*parts[1::2], ""]
    rewritten = python_lines(lines)
    return (bom + "".join(map(str.__add__, rewritten, ends))).encode("latin-1")


class _Scanner:
    """Where a line of Python starts: inside brackets, a string or a continuation."""

    def __init__(self) -> None:
        self.depth = 0  # open brackets
        self.quote = ""  # the delimiter of the string left open: ', ", ''' or """
        self.continued = False  # the last line ended with a backslash

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and not self.quote and not self.continued

    def feed(self, line: str) -> str:
        """Scan one line; return its last character of code (not string, not comment)."""
        self.continued = False
        last = ""
        i, n = 0, len(line)
        while i < n:
            if self.quote:
                end = _string_end(line, i, self.quote)
                if end is None:  # the string goes on past this line
                    return last
                if end < 0:  # a one-line string left open: a tokenizer error there
                    self.quote = ""
                    return last
                i, last, self.quote = end, self.quote[0], ""
                continue
            char = line[i]
            if char == "#":
                break
            if char in "\"'":
                self.quote = char * 3 if line.startswith(char * 3, i) else char
                i += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(self.depth - 1, 0)
            elif char == "\\" and i == n - 1:
                self.continued = True
            if not char.isspace():
                last = char
            i += 1
        return last


def _string_end(line: str, start: int, quote: str) -> int | None:
    """Where the string delimited by ``quote`` closes in ``line``, scanning from
    ``start``: the index after the delimiter; None when the string continues on the
    next line (triple-quoted, or a backslash before the line end); -1 when a one-line
    string is left open."""
    i, n = start, len(line)
    while i < n:
        if line[i] == "\\":
            if i == n - 1:
                return None  # an escaped line end: raw strings too
            i += 2
            continue
        if line.startswith(quote, i):
            return i + len(quote)
        i += 1
    return None if len(quote) == 3 else -1
