"""Which codes are reported: select, ignore, extend-select and per-file ignores.

Prefixes work as in ruff: the most specific matching entry wins, and at equal
specificity ``ignore`` beats ``select``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import PurePath

from losslint.catalog import RULES


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ("LL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def enabled(self, code: str, path: str | None = None) -> bool:
        ignores = self.ignore + (self.ignored_for(path) if path else ())
        best_select = _longest_match(code, self.select + self.extend_select)
        best_ignore = _longest_match(code, ignores)
        return best_select > best_ignore

    def ignored_for(self, path: str) -> tuple[str, ...]:
        posix = PurePath(path).as_posix()
        name = PurePath(path).name
        codes: list[str] = []
        for pattern, pattern_codes in self.per_file_ignores:
            if _glob_match(posix, name, pattern):
                codes.extend(pattern_codes)
        return tuple(codes)

    def static_codes(self, path: str | None = None) -> frozenset[str]:
        return frozenset(r.code for r in RULES if r.static and self.enabled(r.code, path))


def _longest_match(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix matching ``code``; -1 when none (``ALL`` matches all)."""
    best = -1
    for prefix in prefixes:
        prefix = prefix.strip().upper()
        if prefix == "ALL":
            best = max(best, 0)
        elif prefix and code.startswith(prefix):
            best = max(best, len(prefix))
    return best


def _glob_match(posix: str, name: str, pattern: str) -> bool:
    pattern = pattern.replace("\\", "/")
    if "/" not in pattern:
        return fnmatch.fnmatch(name, pattern)
    return fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, f"*/{pattern}")


def valid_prefix(prefix: str) -> bool:
    prefix = prefix.strip().upper()
    return prefix == "ALL" or any(rule.code.startswith(prefix) for rule in RULES)
