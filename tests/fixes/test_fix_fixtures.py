"""Every fix fixture: `x.in.py` becomes `x.out.py`, stays so, and computes the intended loss."""

from __future__ import annotations

import libcst as cst
import pytest
from fix_harness import Pair, compare, fix, has_check, pairs, run_snippet

from losslint.fixes import applicable
from losslint.fixes.text import SourceText

PAIRS = pairs()
IDS = [pair.name for pair in PAIRS]
SEEDS = (0, 1, 2)


def test_there_are_fixtures() -> None:
    assert len(PAIRS) >= 10


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_fix_turns_in_into_out(pair: Pair) -> None:
    _needs_check(pair)
    result = fix(pair.before, f"{pair.name}.py", pair.unsafe)
    assert result.fixed.decode("utf-8") == pair.after.decode("utf-8")
    assert result.applied, "the fixture must exercise at least one fix"


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_fixed_file_parses_and_a_second_fix_changes_nothing(pair: Pair) -> None:
    _needs_check(pair)
    cst.parse_module(pair.after)
    compile(pair.after, pair.name, "exec")
    again = fix(pair.after, f"{pair.name}.py", pair.unsafe)
    assert again.fixed == pair.after
    assert not again.applied
    assert not any(applicable(d, pair.unsafe) for d in again.remaining)


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_fixed_code_computes_the_intended_loss_and_the_original_does_not(pair: Pair) -> None:
    _needs_check(pair)
    intended = pair.headers["intended"]
    if intended == "none":
        pytest.skip("not a loss: checked by its own test")
    wrt = pair.headers.get("wrt", "logits")
    before = SourceText.decode(pair.before).text
    after = SourceText.decode(pair.after).text
    for seed in SEEDS:
        assert compare(run_snippet(after, seed), intended, wrt) == (True, True), seed
        original = run_snippet(before, seed, may_raise=True)
        assert compare(original, intended, wrt) == (False, False), seed


def _needs_check(pair: Pair) -> None:
    if not has_check(pair.code):
        pytest.skip(f"{pair.code} has no check yet")


def test_crlf_fixture_really_is_crlf() -> None:
    crlf = next(pair for pair in PAIRS if pair.name == "crlf")
    for data in (crlf.before, crlf.after):
        assert data.count(b"\r\n") == data.count(b"\n") > 0


def test_running_total_fix_keeps_the_number_and_drops_the_graph() -> None:
    import torch

    pair = next(pair for pair in PAIRS if pair.name == "ll013_running_total")
    _needs_check(pair)
    for seed in SEEDS:
        before = run_snippet(pair.before.decode(), seed)
        after = run_snippet(pair.after.decode(), seed)
        assert isinstance(before["total"], torch.Tensor) and before["total"].grad_fn is not None
        assert isinstance(after["total"], float)
        assert abs(after["total"] - before["total"].item()) < 1e-5
