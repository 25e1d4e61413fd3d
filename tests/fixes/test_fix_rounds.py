"""Fixes are applied in rounds: verified, never overlapping, bounded, idempotent."""

from __future__ import annotations

import pytest

from losslint import fixes
from losslint.diagnostics import Edit, Fix
from losslint.fixes import rounds
from losslint.fixes.rounds import MAX_ROUNDS, fix_bytes

TWO = b"""\
import torch
import torch.nn.functional as F


def f(x, y):
    a = F.cross_entropy(F.softmax(x, dim=1), y)
    b = F.cross_entropy(torch.sigmoid(x), y)
    return a + b
"""


def test_all_fixes_of_a_file_in_one_pass() -> None:
    result = fix_bytes(TWO, "t.py")
    assert [d.location.line for d in result.applied] == [6, 7]
    assert result.remaining == () and result.converged
    assert b"F.cross_entropy(x, y)\n    b = F.cross_entropy(x, y)" in result.fixed


def test_nothing_to_fix_gives_back_the_same_bytes() -> None:
    clean = b"import torch.nn.functional as F\n\n\ndef f(x, y):\n    return F.cross_entropy(x, y)\n"
    result = fix_bytes(clean, "t.py")
    assert result.fixed == clean and not result.changed and result.converged


def test_overlapping_fixes_wait_for_the_next_round(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both fixes rewrite line 6; the second is rebuilt on the new text in round two.
    calls = []

    def overlapping(finding):
        calls.append(finding.node)
        line = finding.source.position(finding.node).start.line
        return Fix("rewrite line 6", True, (Edit(6, 5, 6, 6, "a"), Edit(line, 1, line, 1, "")))

    monkeypatch.setitem(fixes.BUILDERS, "LL001", overlapping)
    source = TWO.replace(b"torch.sigmoid(x)", b"F.softmax(x, dim=0)")
    chosen = rounds._choose(
        rounds._lint(source, "t.py", None, None), "t.py", False, source.decode()
    )
    assert len(chosen) == 1  # the second one overlaps the first


def test_two_fixes_adding_the_same_import_are_applied_in_two_rounds() -> None:
    ll005 = pytest.importorskip("losslint.checks.ll005")  # being written alongside
    LogOfProbabilities = ll005.LogOfProbabilities  # noqa: N806

    source = b"""\
import torch


def f(x, t):
    a = -(t * torch.log(torch.softmax(x, 1))).sum(1).mean()
    b = -(t * torch.log(torch.sigmoid(x))).mean()
    return a + b
"""
    with _checks(LogOfProbabilities):
        result = fix_bytes(source, "t.py")
    text = result.fixed.decode()
    assert text.count("import torch.nn.functional as F\n") == 1
    assert "torch.log_softmax(x, 1)" in text and "F.logsigmoid(x)" in text
    assert len(result.applied) == 2 and result.converged


def test_a_fix_that_breaks_the_file_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(finding):
        return Fix("breaks", True, (Edit(6, 5, 6, 6, "a = = "),))

    monkeypatch.setitem(fixes.BUILDERS, "LL001", broken)
    result = fix_bytes(TWO, "t.py")
    assert result.fixed == TWO and not result.applied
    assert [d.code for d in result.remaining] == ["LL001", "LL001"]


def test_a_breaking_fix_does_not_block_a_good_one(monkeypatch: pytest.MonkeyPatch) -> None:
    good = fixes.BUILDERS["LL001"]

    def one_broken(finding):
        if finding.source.position(finding.node).start.line == 6:
            return Fix("breaks", True, (Edit(6, 5, 6, 6, "a = = "),))
        return good(finding)

    monkeypatch.setitem(fixes.BUILDERS, "LL001", one_broken)
    result = fix_bytes(TWO, "t.py")
    assert [d.location.line for d in result.applied] == [7]
    assert b"F.cross_entropy(x, y)\n    return" in result.fixed


def test_a_fix_that_never_converges_stops_at_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    def grows(finding):
        return Fix("adds a comment and fixes nothing", True, (Edit(1, 1, 1, 1, "#\n"),))

    monkeypatch.setitem(fixes.BUILDERS, "LL001", grows)
    result = fix_bytes(TWO.replace(b"torch.sigmoid(x)", b"x"), "t.py")
    assert not result.converged
    assert len(result.applied) == MAX_ROUNDS
    assert result.fixed.startswith(b"#\n" * MAX_ROUNDS + b"import torch")


def test_a_fix_that_undoes_itself_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    def flips(finding):
        line = finding.source.position(finding.node).start.line
        text = finding.source.module.code.splitlines()[line - 1]
        new = text.replace("  # x", "") if text.endswith("  # x") else text + "  # x"
        return Fix("flip", True, (Edit(line, 1, line, len(text) + 1, new),))

    monkeypatch.setitem(fixes.BUILDERS, "LL001", flips)
    result = fix_bytes(TWO.replace(b"torch.sigmoid(x)", b"x"), "t.py")
    assert result.converged and len(result.applied) == 1


def test_unsafe_fixes_only_when_asked() -> None:
    source = b"""\
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))
loss = nn.CrossEntropyLoss()(model(x), y)
"""
    assert fix_bytes(source, "t.py").fixed == source
    assert b"nn.Sequential(nn.Linear(4, 3))" in fix_bytes(source, "t.py", unsafe=True).fixed


def test_undecodable_file_is_left_alone() -> None:
    source = b"import torch.nn.functional as F\n# caf\xe9\nF.cross_entropy(F.softmax(x, 1), y)\n"
    result = fix_bytes(source, "t.py")
    assert result.fixed == source and [d.code for d in result.remaining] == ["LL000"]


def test_notebooks_get_no_fixes() -> None:
    import json

    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": ["import torch.nn.functional as F\n", "F.cross_entropy(F.softmax(x, 1), y)\n"],
    }
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    data = json.dumps(notebook).encode()
    result = fix_bytes(data, "nb.ipynb")
    assert result.fixed == data
    assert [d.fix for d in result.remaining] == [None]


class _checks:
    """Lint with extra checks (rules being written elsewhere are not registered yet)."""

    def __init__(self, *checks) -> None:
        self.extra = checks

    def __enter__(self) -> None:
        from losslint import linter

        self.saved = linter.ALL_CHECKS
        known = set(self.saved)
        linter.ALL_CHECKS = (*self.saved, *(c for c in self.extra if c not in known))

    def __exit__(self, *exc) -> None:
        from losslint import linter

        linter.ALL_CHECKS = self.saved
