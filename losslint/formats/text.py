"""The default format: one flake8 line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from losslint.diagnostics import Diagnostic, format_text

if TYPE_CHECKING:
    from losslint.formats import SourceLines


def render(
    diagnostics: Sequence[Diagnostic],
    lines_of: SourceLines | None = None,
    unsafe_fixes: bool = False,
) -> str:
    """Every finding on its own line, in the order given; ``[*]`` on those ``--fix``
    repairs (unsafe fixes too with ``unsafe_fixes``)."""
    return "".join(f"{format_text(d, unsafe_fixes)}\n" for d in diagnostics)
