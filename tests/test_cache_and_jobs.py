"""The results cache and the worker processes change how fast, never what is found."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import losslint
from losslint.cli import main

MODEL = """\
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(x){activation}
"""
TRAIN = """\
import torch.nn as nn

from model import Net


def train(loader):
    model, criterion = Net(), nn.CrossEntropyLoss()
    for x, y in loader:
        criterion(model(x), y).backward()
"""


def run(*args: str) -> list[str]:
    result = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return [line for line in result.output.splitlines() if ": LL" in line]


def write_project(folder: Path, activation: str) -> None:
    (folder / "model.py").write_text(MODEL.format(activation=activation))
    (folder / "train.py").write_text(TRAIN)


def test_warm_run_reports_what_the_cold_run_did(tmp_path: Path) -> None:
    write_project(tmp_path, ".softmax(dim=1)")
    cache = tmp_path / "cache"
    cold = run("--cache-dir", str(cache), str(tmp_path))
    assert len(cold) == 1 and "LL001" in cold[0]
    assert any(cache.glob("*.json"))
    assert run("--cache-dir", str(cache), str(tmp_path)) == cold


def test_editing_an_imported_model_invalidates_the_script(tmp_path: Path) -> None:
    write_project(tmp_path, ".softmax(dim=1)")
    cache = tmp_path / "cache"
    assert len(run("--cache-dir", str(cache), str(tmp_path))) == 1
    (tmp_path / "model.py").write_text(MODEL.format(activation=""))
    assert run("--cache-dir", str(cache), str(tmp_path)) == []
    (tmp_path / "model.py").write_text(MODEL.format(activation=".softmax(dim=1)"))
    assert len(run("--cache-dir", str(cache), str(tmp_path))) == 1


def test_settings_are_part_of_the_key(tmp_path: Path) -> None:
    write_project(tmp_path, ".softmax(dim=1)")
    cache = tmp_path / "cache"
    assert len(run("--cache-dir", str(cache), str(tmp_path))) == 1
    assert run("--cache-dir", str(cache), "--ignore", "LL001", str(tmp_path)) == []


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    write_project(tmp_path, ".softmax(dim=1)")
    cache = tmp_path / "cache"
    run("--cache-dir", str(cache), str(tmp_path))
    for index in cache.glob("*.json"):
        index.write_text("{not json")
    assert len(run("--cache-dir", str(cache), str(tmp_path))) == 1
    for index in cache.glob("*.json"):
        json.loads(index.read_text())  # rewritten whole


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    write_project(tmp_path, ".softmax(dim=1)")
    cache = tmp_path / "cache"
    assert len(run("--no-cache", "--cache-dir", str(cache), str(tmp_path))) == 1
    assert not cache.exists()


def test_parallel_workers_find_the_same(tmp_path: Path) -> None:
    for index in range(4):
        folder = tmp_path / f"p{index}"
        folder.mkdir()
        write_project(folder, ".softmax(dim=1)" if index % 2 else "")
    serial = run("--no-cache", "--jobs", "1", str(tmp_path))
    parallel = run("--no-cache", "--jobs", "2", str(tmp_path))
    assert serial == parallel and len(serial) == 2


def test_a_changed_analysis_with_the_same_version_is_not_served_old_results(tmp_path) -> None:
    """Upgrading from a checkout (or a new pre-commit rev) keeps the version string:
    the cache is keyed by losslint's own files too, so the new analysis answers."""

    package = tmp_path / "installed"
    shutil.copytree(
        Path(losslint.__file__).parent,
        package / "losslint",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    project = tmp_path / "project"
    project.mkdir()
    write_project(project, ".softmax(dim=1)")
    cache = tmp_path / "cache"

    def check() -> str:
        result = subprocess.run(
            [sys.executable, "-m", "losslint", "check", "--cache-dir", str(cache), "train.py"],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(package)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        return result.stdout

    assert "pass the logits" in check()
    check_file = package / "losslint" / "checks" / "ll001.py"
    check_file.write_text(check_file.read_text().replace("pass the logits", "give it logits"))
    assert "give it logits" in check()
