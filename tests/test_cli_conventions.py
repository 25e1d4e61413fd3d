"""Command-line conventions a ruff or flake8 user expects: ``--quiet``, a warning when
nothing was found to check, ``[*]`` on unsafe fixes under ``--unsafe-fixes``,
``--add-noqa``, and messages that say "as constructed at" for a class construction."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from losslint.cli import main

BAD = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(F.softmax(logits, dim=1), y)
"""
LOGITS_INTO_BCE = """\
import torch.nn as nn

model = nn.Linear(4, 1)
criterion = nn.BCELoss()


def step(x, target):
    return criterion(model(x), target)
"""

CONSTRUCTED = """\
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(x).softmax(dim=1)


class Step:
    def __init__(self, model, x, y):
        self.loss = nn.CrossEntropyLoss()(model(x), y)


def main(x, y):
    return Step(Net(), x, y)
"""


def run(*args: str):
    return CliRunner().invoke(main, ["check", "--no-cache", *args], catch_exceptions=False)


def losslint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "losslint", "check", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.py").write_text(BAD)
    return tmp_path


def test_quiet_prints_the_findings_only(project: Path) -> None:
    result = losslint("--quiet", "train.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [result.stdout.splitlines()[0]]
    assert result.stdout.startswith("train.py:5:12: LL001 [*] ")
    assert result.stderr == ""


def test_warning_when_no_python_file_was_found(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# notes\n")
    result = losslint(".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "losslint: warning: no Python files or notebooks found to check\n"
    quiet = losslint("-q", ".", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_unsafe_fixes_are_marked_fixable_with_unsafe_fixes(project: Path) -> None:
    (project / "train.py").write_text(LOGITS_INTO_BCE)
    plain = run("train.py").output.splitlines()
    assert plain[0].startswith("train.py:8:12: LL007 `model(x)`")
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option" in plain[-1]
    unsafe = run("--unsafe-fixes", "train.py").output.splitlines()
    assert unsafe[0].startswith("train.py:8:12: LL007 [*] `model(x)`")
    assert unsafe[-1] == "[*] 1 fixable with the `--fix` option."


def test_a_finding_reached_through_a_construction_says_constructed(project: Path) -> None:
    (project / "train.py").write_text(CONSTRUCTED)
    [line] = [x for x in run("train.py").output.splitlines() if ": LL" in x]
    assert line.startswith("train.py:15:21: LL001 ")
    assert line.endswith("(in `Step.__init__()` as constructed at train.py:19)")


def test_add_noqa_silences_every_finding_where_it_is(project: Path) -> None:
    (project / "other.py").write_text(
        BAD.replace(", y)\n", ", y)  # noqa: E501\n").replace("dim=1", "dim=-1")
        + "\n\ndef again(logits, y):\n    return F.nll_loss(F.softmax(logits, dim=1), y)\n"
    )
    (project / "clean.py").write_text("import torch\n")
    result = losslint("--add-noqa", ".", cwd=project)
    assert (result.returncode, result.stdout) == (0, "Added 3 noqa directives.\n"), result.stderr
    assert (project / "train.py").read_text() == BAD.replace(", y)\n", ", y)  # noqa: LL001\n")
    other = (project / "other.py").read_text().splitlines()
    assert other[4].endswith("  # noqa: E501, LL001")
    assert other[8].endswith("  # noqa: LL004")
    assert (project / "clean.py").read_text() == "import torch\n"
    assert losslint(".", cwd=project).returncode == 0
    again = losslint("--add-noqa", ".", cwd=project)
    assert (again.returncode, again.stdout) == (0, "Added 0 noqa directives.\n")


def _notebook(*cells: list[str]) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for source in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_add_noqa_in_a_notebook_keeps_its_json_layout(project: Path) -> None:
    document = _notebook(
        ["import torch.nn.functional as F\n"],
        ["def step(logits, y):\n", "    return F.cross_entropy(F.softmax(logits, dim=1), y)"],
    )
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (project / "train.ipynb").write_text(text)
    result = losslint("--add-noqa", "train.ipynb", cwd=project)
    assert (result.returncode, result.stdout) == (0, "Added 1 noqa directive.\n"), result.stderr
    document["cells"][1]["source"][1] += "  # noqa: LL001"
    expected = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert (project / "train.ipynb").read_text() == expected
    assert losslint("train.ipynb", cwd=project).returncode == 0


def test_add_noqa_with_fix_is_an_error(project: Path) -> None:
    assert run("--add-noqa", "--fix", "train.py").exit_code == 2
