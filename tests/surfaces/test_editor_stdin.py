"""Editors pipe the unsaved buffer: ``losslint check - --stdin-filename PATH``.

Findings must come from what stdin holds (the buffer), reported under the
filename the editor gives, whatever the file on disk says; the output must be
the line format ALE and flymake parse.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from click.testing import CliRunner

from losslint.cli import main

SAVED = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(logits, y)
"""
# The unsaved buffer: two lines added above, and the softmax put in.
BUFFER = """\
import torch.nn.functional as F

# an edit not yet saved

def step(logits, y):
    probs = F.softmax(logits, dim=1)
    return F.cross_entropy(probs, y)
"""
# ALE's Unix handler and the pattern python-flymake is given in the README.
ALE_UNIX = re.compile(r"^(([a-zA-Z]:)?[^:]+):(\d+):?(\d+)?:? ?(.+)$")
FLYMAKE = re.compile(r"^(?:.*?):([0-9]+):(?:([0-9]+):)? (.*)$")


class Completed:
    def __init__(self, returncode: int, stdout: str) -> None:
        self.returncode, self.stdout = returncode, stdout


def check_stdin(*args: str, cwd: Path, input: str) -> Completed:
    """``losslint check ARGS`` run from ``cwd`` with ``input`` on stdin, as an editor runs it."""
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["check", *args], input=input.encode())
    finally:
        os.chdir(previous)
    return Completed(result.exit_code, result.output)


def _findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^.+:\d+:\d+: LL\d{3} ", line)]


def test_unsaved_buffer_is_checked_not_the_file_on_disk(tmp_path: Path) -> None:
    target = tmp_path / "src" / "train.py"
    target.parent.mkdir()
    target.write_text(SAVED)
    result = check_stdin("--stdin-filename", str(target), "-", cwd=tmp_path, input=BUFFER)
    assert result.returncode == 1, result.stdout
    [line] = _findings(result.stdout)
    assert line.startswith(f"{target}:7:12: LL001 ")  # line 7 exists only in the buffer
    assert "softmax at train.py:6" in line


def test_saved_bad_file_with_a_fixed_buffer_is_clean(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text(BUFFER)
    result = check_stdin("--stdin-filename", str(target), "-", cwd=tmp_path, input=SAVED)
    assert (result.returncode, _findings(result.stdout)) == (0, [])


def test_stdin_filename_picks_the_config_of_its_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.losslint]\nignore = ["LL001"]\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = check_stdin(
        "--stdin-filename", str(project / "train.py"), "-", cwd=elsewhere, input=BUFFER
    )
    assert (result.returncode, _findings(result.stdout)) == (0, [])


def test_output_lines_parse_with_ale_and_flymake_patterns(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    result = check_stdin("--stdin-filename", str(target), "-", cwd=tmp_path, input=BUFFER)
    [line] = _findings(result.stdout)
    # Nothing else printed (a count, a hint) may read as a finding to the editor.
    assert [x for x in result.stdout.splitlines() if ALE_UNIX.match(x)] == [line]
    assert [x for x in result.stdout.splitlines() if FLYMAKE.match(x)] == [line]
    ale = ALE_UNIX.match(line)
    assert ale and (ale.group(1), ale.group(3), ale.group(4)) == (str(target), "7", "12")
    assert ale.group(5).startswith("LL001 ")
    flymake = FLYMAKE.match(line)
    assert flymake and flymake.groups()[:2] == ("7", "12")


def test_grouped_format_quotes_the_buffer_not_the_disk(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text(SAVED)
    result = check_stdin(
        "--format", "grouped", "--stdin-filename", str(target), "-", cwd=tmp_path, input=BUFFER
    )
    assert "    7 |     return F.cross_entropy(probs, y)" in result.stdout.splitlines()
