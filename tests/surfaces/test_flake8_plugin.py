"""losslint as a flake8 plugin: the real flake8, in a subprocess, reports what losslint does.

Without an install, the ``flake8.extension`` entry point does not exist: the
plugin is registered through a local-plugins config instead. One test uses the
installed entry point, and runs where the package is installed (CI).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("flake8")

from losslint.cli import main  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "static"
BAD = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(F.softmax(logits, dim=1), y)
"""
CLEAN = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(logits, y)
"""


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }


def _installed_entry_point() -> bool:
    points = importlib.metadata.entry_points(group="flake8.extension")
    return any(p.name == "LL" and p.value.startswith("losslint.") for p in points)


@pytest.fixture(scope="module")
def local_plugin_config(tmp_path_factory) -> Path:
    """A config registering the plugin, unless it is installed (then twice would report twice)."""
    config = tmp_path_factory.mktemp("flake8") / "flake8.cfg"
    text = "[flake8]\n"
    if not _installed_entry_point():
        text += (
            "[flake8:local-plugins]\n"
            "extension =\n"
            "    LL = losslint.flake8_plugin:LossLintPlugin\n"
            f"paths = {REPO}\n"
        )
    config.write_text(text)
    return config


def flake8(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )


def _rows(output: str) -> list[tuple[str, int, int, str]]:
    """(file name, line, column, "CODE message") of each flake8 line."""
    rows = []
    for line in output.splitlines():
        path, row, col, text = line.split(":", 3)
        rows.append((Path(path).name, int(row), int(col), text.strip()))
    return sorted(rows)


def test_flake8_select_ll_reports_what_losslint_check_reports(local_plugin_config: Path) -> None:
    result = flake8("--config", str(local_plugin_config), "--select", "LL", str(FIXTURES), cwd=REPO)
    assert result.returncode == 1, result.stderr
    losslint = CliRunner().invoke(main, ["check", "--format", "json", str(FIXTURES)])
    expected = sorted(
        (Path(d["path"]).name, d["line"], d["column"], f"{d['code']} {d['message']}")
        for d in json.loads(losslint.output)
    )
    assert expected, "the fixtures have findings"
    assert _rows(result.stdout) == expected


def test_flake8_handles_noqa_and_stdin(local_plugin_config: Path, tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(CLEAN)  # on disk: clean; on stdin: the bad buffer
    args = ("--config", str(local_plugin_config), "--select", "LL")
    result = flake8(*args, "--stdin-display-name", "train.py", "-", cwd=tmp_path, input=BAD)
    [(name, line, column, text)] = _rows(result.stdout)
    assert (name, line, column) == ("train.py", 5, 12)
    assert text.startswith("LL001 ")

    silenced = BAD.replace(", y)\n", ", y)  # noqa: LL001\n")
    result = flake8(*args, "-", cwd=tmp_path, input=silenced)
    assert (result.returncode, result.stdout) == (0, "")


def test_plugin_keeps_columns_of_a_latin1_file(local_plugin_config: Path, tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\n" + BAD.replace(
        "    return", '    print("é")\n    return'
    ).replace("F.cross_entropy(", "F.cross_entropy(  # é\n        ")
    (tmp_path / "latin.py").write_bytes(source.encode("latin-1"))
    args = ("--config", str(local_plugin_config), "--select", "LL", "latin.py")
    result = flake8(*args, cwd=tmp_path)
    [(_, line, column, text)] = _rows(result.stdout)
    assert (line, column, text[:5]) == (7, 12, "LL001")


def test_plugin_does_not_import_click() -> None:
    code = "import sys, losslint.flake8_plugin; print('click' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.skipif(not _installed_entry_point(), reason="losslint is not installed (pip install)")
def test_installed_entry_point_registers_the_plugin(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(BAD)
    result = flake8("--isolated", "--select", "LL", "train.py", cwd=tmp_path)
    [(_, line, column, text)] = _rows(result.stdout)
    assert (line, column) == (5, 12) and text.startswith("LL001 ")


def _project(tmp_path: Path, settings: str, name: str = "pyproject.toml") -> Path:
    (tmp_path / name).write_text(settings)
    (tmp_path / "train.py").write_text(BAD)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_train.py").write_text(BAD)
    return tmp_path


def _files_flagged(result: subprocess.CompletedProcess) -> list[str]:
    return sorted(line.split(":", 1)[0] for line in result.stdout.splitlines())


def test_plugin_honours_ignore_in_tool_losslint(local_plugin_config: Path, tmp_path) -> None:
    project = _project(tmp_path, '[tool.losslint]\nignore = ["LL001"]\n')
    result = flake8("--config", str(local_plugin_config), "--select", "LL", ".", cwd=project)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_plugin_honours_per_file_ignores(local_plugin_config: Path, tmp_path) -> None:
    settings = '[tool.losslint.per-file-ignores]\n"tests/*" = ["LL001"]\n'
    project = _project(tmp_path, settings)
    result = flake8("--config", str(local_plugin_config), "--select", "LL", ".", cwd=project)
    assert _files_flagged(result) == ["./train.py"], result.stderr


def test_plugin_honours_exclude_and_losslint_toml(local_plugin_config: Path, tmp_path) -> None:
    project = _project(tmp_path, 'exclude = ["tests"]\n', name="losslint.toml")
    result = flake8("--config", str(local_plugin_config), "--select", "LL", ".", cwd=project)
    assert _files_flagged(result) == ["./train.py"], result.stderr


def test_plugin_honours_select(local_plugin_config: Path, tmp_path) -> None:
    project = _project(tmp_path, '[tool.losslint]\nselect = ["LL002"]\n')
    result = flake8("--config", str(local_plugin_config), "--select", "LL", "train.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_plugin_with_broken_settings_warns_and_checks(local_plugin_config: Path, tmp_path) -> None:
    project = _project(tmp_path, "[tool.losslint]\ncolour = 1\n")
    result = flake8("--config", str(local_plugin_config), "--select", "LL", "train.py", cwd=project)
    assert _files_flagged(result) == ["train.py"]
    assert "colour" in result.stderr and "Traceback" not in result.stderr
