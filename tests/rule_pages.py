"""Reading the catalog pages: their sections and their example snippets."""

from __future__ import annotations

import re
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent.parent / "rules"
SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
    "Runtime check",
    "References",
)
_HEADING = re.compile(r"^## (?P<title>.+?)\s*$", re.MULTILINE)
_PYTHON_BLOCK = re.compile(r"```python\n(?P<code>.*?)```", re.DOTALL)


def sections(text: str) -> dict[str, str]:
    matches = list(_HEADING.finditer(text))
    result = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        result[match.group("title")] = text[match.end() : end]
    return result


def first_python_block(section: str) -> str | None:
    match = _PYTHON_BLOCK.search(section)
    return match.group("code") if match else None


def examples(code: str) -> tuple[str, str]:
    """(flagged example, fixed example) of a rule page."""
    parts = sections((PAGES_DIR / f"{code}.md").read_text(encoding="utf-8"))
    return first_python_block(parts["Example"]), first_python_block(parts["Use instead"])
