"""``# noqa`` comments: a bare one silences a line, ``# noqa: LL001,LL002`` those codes."""

from __future__ import annotations

import re

_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)


def suppressed(line_text: str, code: str) -> bool:
    """Whether ``line_text`` carries a noqa comment that covers ``code``."""
    if "#" not in line_text:
        return False
    for match in _NOQA.finditer(line_text):
        codes = match.group("codes")
        if codes is None:
            return True
        listed = {c.upper() for c in re.split(r"[,\s]+", codes) if c}
        if code in listed:
            return True
    return False
