"""Autofixes: one builder per code, turning a finding into a :class:`~losslint.diagnostics.Fix`.

Rules only report; what to change is decided here, from the finding (the loss
call, and where the value was made), so that a rule and its repair can be read
apart. A builder returns ``None`` when it cannot be sure of a repair: no fix is
better than a wrong one. Applying fixes (in rounds, verified, written
atomically) lives in :mod:`losslint.fixes.rounds` and :mod:`losslint.fixes.files`.
"""

from __future__ import annotations

from collections.abc import Callable

from losslint.checks.base import Finding
from losslint.diagnostics import Fix, applicable
from losslint.fixes import (
    ll001,
    ll002,
    ll004,
    ll005,
    ll006,
    ll007,
    ll008,
    ll009,
    ll011,
    ll013,
    ll015,
)

Builder = Callable[[Finding], "Fix | None"]

# Tests set this to see a builder's unexpected error instead of a silently missing fix.
STRICT = False

BUILDERS: dict[str, Builder] = {
    "LL001": ll001.build,
    "LL002": ll002.build,
    "LL004": ll004.build,
    "LL005": ll005.build,
    "LL006": ll006.build,
    "LL007": ll007.build,
    "LL008": ll008.build,
    "LL009": ll009.build,
    "LL011": ll011.build,
    "LL013": ll013.build,
    "LL015": ll015.build,
}


def fix_for(finding: Finding) -> Fix | None:
    """The fix of ``finding``, or None when its code has none or this case is not covered."""
    builder = BUILDERS.get(finding.code)
    if builder is None or getattr(finding.source, "notebook", None) is not None:
        # A notebook is analysed as its cells joined: positions there are not the file's.
        return None
    try:
        fix = builder(finding)
    except (ValueError, LookupError, AttributeError, TypeError, RecursionError):
        # A shape of code a builder did not foresee costs the fix, never the finding.
        if STRICT:
            raise
        return None
    if fix is None or not fix.edits:
        return None
    return fix


__all__ = ["BUILDERS", "applicable", "fix_for"]
