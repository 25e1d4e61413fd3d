"""Progress on long runs: on a terminal's stderr after a delay, never elsewhere."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from losslint import progress
from losslint.progress import Progress, wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_shown_on_a_terminal_only(no_ci) -> None:
    assert wanted(quiet=False, stream=Terminal())
    assert not wanted(quiet=False, stream=io.StringIO())  # a pipe, a file


@pytest.mark.parametrize(("variable", "value"), [("CI", "true"), ("TERM", "dumb")])
def test_never_in_ci_nor_on_a_dumb_terminal(no_ci, monkeypatch, variable, value) -> None:
    monkeypatch.setenv(variable, value)
    assert not wanted(quiet=False, stream=Terminal())


def test_never_with_quiet(no_ci) -> None:
    assert not wanted(quiet=True, stream=Terminal())


def test_a_short_run_draws_nothing(no_ci) -> None:
    stream = Terminal()
    bar = Progress(10, enabled=True, stream=stream)
    bar.phase("checking")
    for _ in range(10):
        bar.advance()
    bar.close()
    assert stream.getvalue() == ""


def test_a_long_run_draws_files_done_and_phase_then_erases_itself(no_ci, monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    stream = Terminal()
    bar = Progress(331, enabled=True, stream=stream)
    bar.phase("checking")
    for _ in range(120):
        bar.advance()
    assert "checking" in stream.getvalue()
    assert "120/331" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K\x1b[?25h")


def test_disabled_progress_counts_but_draws_nothing(monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    stream = Terminal()
    bar = Progress(5, enabled=False, stream=stream)
    bar.advance(5)
    bar.close()
    assert bar.done == 5 and stream.getvalue() == ""


def test_check_on_a_pipe_writes_no_progress(tmp_path) -> None:
    for n in range(3):
        (tmp_path / f"m{n}.py").write_text("import torch.nn.functional as F\np = F.softmax(x)\n")
    done = subprocess.run(
        [sys.executable, "-m", "losslint", "check", "--no-cache", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert "LL010" in done.stdout
    assert "checking" not in done.stderr and "\r" not in done.stderr
