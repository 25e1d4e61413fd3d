"""Inline expectations: ``# expect: LL001`` (or ``LL001, LL002``) on the flagged line."""

from __future__ import annotations

import re

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>LL\d{3}(?:\s*,\s*LL\d{3})*)")


def expected_findings(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _EXPECT.finditer(line):
            for code in match.group("codes").split(","):
                found.append((number, code.strip()))
    return sorted(found)


def actual_findings(diagnostics) -> list[tuple[int, str]]:
    return sorted((d.location.line, d.code) for d in diagnostics)
