"""The default format: one flake8 line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from losslint.diagnostics import Diagnostic, format_text

if TYPE_CHECKING:
    from losslint.formats import SourceLines


def render(diagnostics: Sequence[Diagnostic], lines_of: SourceLines | None = None) -> str:
    """Every finding on its own line, in the order given."""
    return "".join(f"{format_text(diagnostic)}\n" for diagnostic in diagnostics)
