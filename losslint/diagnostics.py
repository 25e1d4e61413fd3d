"""What a finding is: the data every detector produces and every format prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from losslint.catalog import BY_CODE


@dataclass(frozen=True)
class Location:
    """A place in a source file; lines and columns are 1-based.

    ``cell`` is set for notebooks: then ``line`` counts inside that code cell.
    """

    path: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    cell: int | None = None
    note: str = ""

    @property
    def display_path(self) -> str:
        return self.path if self.cell is None else f"{self.path}:cell {self.cell}"

    def short(self) -> str:
        """``model.py:19`` (or ``nb.ipynb:cell 3:4``), as messages cite origins."""
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        if self.cell is not None:
            return f"{name}:cell {self.cell}:{self.line}"
        return f"{name}:{self.line}"


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based positions with ``content``."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Fix:
    description: str
    safe: bool
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    location: Location
    related: tuple[Location, ...] = field(default=())
    fix: Fix | None = None

    @property
    def name(self) -> str:
        return BY_CODE[self.code].name

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.cell or 0, loc.line, loc.column, self.code, self.message)


def format_text(diagnostic: Diagnostic, unsafe_fixes: bool = False) -> str:
    """The flake8 line: ``path:line:col: CODE message``.

    A finding ``--fix`` would repair is marked as ruff marks it,
    ``path:line:col: CODE [*] message`` (unsafe fixes only when ``unsafe_fixes``).
    """
    loc = diagnostic.location
    fix = diagnostic.fix
    mark = "[*] " if fix is not None and fix.edits and (fix.safe or unsafe_fixes) else ""
    return (
        f"{loc.display_path}:{loc.line}:{loc.column}: {diagnostic.code} {mark}{diagnostic.message}"
    )


def applicable(diagnostic: Diagnostic, unsafe: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when ``unsafe``) applies this fix."""
    fix = diagnostic.fix
    return fix is not None and bool(fix.edits) and (fix.safe or unsafe)


def one_per_place(diagnostics) -> list[Diagnostic]:
    """One finding per code and place, sorted.

    A function shared by several files is analysed from each caller: the same loss
    call may be found plainly and again "as called at" some call site. The plain one
    (the shortest message) is kept, else the first.
    """
    kept: dict[tuple, Diagnostic] = {}
    for diagnostic in sorted(set(diagnostics), key=Diagnostic.sort_key):
        loc = diagnostic.location
        key = (loc.path, loc.cell, loc.line, loc.column, diagnostic.code)
        if key not in kept or len(diagnostic.message) < len(kept[key].message):
            kept[key] = diagnostic
    return sorted(kept.values(), key=Diagnostic.sort_key)
