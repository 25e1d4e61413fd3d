"""A loss call found from two callers is reported once, plainly when it can be."""

from __future__ import annotations

from losslint.diagnostics import Diagnostic, Location, one_per_place

PLACE = Location("engine.py", 5, 16)


def test_the_plain_finding_wins_over_the_one_seen_through_a_call() -> None:
    plain = Diagnostic("LL001", "`out` is probabilities", PLACE)
    through = Diagnostic("LL001", "`out` is probabilities (in `run()` as called at a.py:3)", PLACE)
    assert one_per_place([through, plain, through]) == [plain]


def test_different_codes_or_places_are_kept() -> None:
    first = Diagnostic("LL001", "m", PLACE)
    other_code = Diagnostic("LL003", "m", PLACE)
    other_line = Diagnostic("LL001", "m", Location("engine.py", 9, 16))
    assert one_per_place([other_line, other_code, first]) == [first, other_code, other_line]
