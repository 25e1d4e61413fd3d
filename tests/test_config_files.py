"""Where settings come from: ``losslint.toml``, ``pyproject.toml``, ``--config FILE``,
and the excludes (``exclude``, ``extend-exclude``, ``force-exclude``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from losslint.cli import main

BAD = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(F.softmax(logits, dim=1), y)
"""


def run(*args: str):
    return CliRunner().invoke(main, ["check", "--no-cache", *args], catch_exceptions=False)


def codes(result) -> list[str]:
    return [line.split(": ", 1)[0] for line in result.output.splitlines() if ": LL" in line]


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "train.py").write_text(BAD)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "model.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_losslint_toml_beside_pyproject_wins(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.losslint]\nignore = ["LL002"]\n')
    (project / "losslint.toml").write_text('ignore = ["LL001"]\n')
    assert run(".").exit_code == 0


def test_losslint_toml_alone(project: Path) -> None:
    (project / "losslint.toml").write_text('exclude = ["generated"]\n')
    assert codes(run(".")) == ["train.py:5:12"]


def test_config_file_with_any_name_has_top_level_keys(project: Path) -> None:
    (project / "ci.toml").write_text('ignore = ["LL001"]\n')
    assert run(".").exit_code == 1
    assert run("--config", "ci.toml", ".").exit_code == 0


def test_config_file_in_pyproject_form(project: Path) -> None:
    (project / "other.toml").write_text('[tool.losslint]\nignore = ["LL001"]\n')
    assert run("--config", "other.toml", ".").exit_code == 0


def test_config_names_a_pyproject_elsewhere(project: Path, tmp_path_factory) -> None:
    elsewhere = tmp_path_factory.mktemp("settings") / "pyproject.toml"
    elsewhere.write_text('[tool.losslint]\nignore = ["LL001"]\n')
    assert run("--config", str(elsewhere), ".").exit_code == 0


def test_missing_config_file_is_an_error(project: Path) -> None:
    result = run("--config", "nope.toml", ".")
    assert result.exit_code == 2
    assert "nope.toml" in result.output and "no such file" in result.output


def test_unknown_key_in_losslint_toml_is_an_error(project: Path) -> None:
    (project / "losslint.toml").write_text("colour = 1\n")
    result = run(".")
    assert result.exit_code == 2 and "colour" in result.output


def test_named_file_is_checked_despite_exclude(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.losslint]\nexclude = ["generated"]\n')
    assert codes(run("generated/model.py", "train.py")) == [
        "generated/model.py:5:12",
        "train.py:5:12",
    ]


def test_force_exclude_flag_skips_named_excluded_files(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.losslint]\nexclude = ["generated"]\n')
    result = run("--force-exclude", "generated/model.py", "train.py")
    assert codes(result) == ["train.py:5:12"]


def test_force_exclude_in_config(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.losslint]\nexclude = ["generated/*.py"]\nforce-exclude = true\n'
    )
    assert codes(run("generated/model.py", "train.py")) == ["train.py:5:12"]
    assert codes(run("--no-force-exclude", "generated/model.py")) == ["generated/model.py:5:12"]


def test_force_exclude_with_only_excluded_files_is_clean(project: Path) -> None:
    (project / "losslint.toml").write_text('extend-exclude = ["generated"]\nforce-exclude = true\n')
    assert run("generated/model.py").exit_code == 0


def test_extend_exclude_adds_to_exclude(project: Path) -> None:
    (project / "scratch.py").write_text(BAD)
    (project / "pyproject.toml").write_text(
        '[tool.losslint]\nexclude = ["generated"]\nextend-exclude = ["scratch.py"]\n'
    )
    assert codes(run(".")) == ["train.py:5:12"]


def test_cli_exclude_replaces_config_exclude_and_extend_exclude_adds(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.losslint]\nexclude = ["generated"]\n')
    assert codes(run("--exclude", "train.py", ".")) == ["generated/model.py:5:12"]
    assert codes(run("--extend-exclude", "train.py", ".")) == []


def test_force_exclude_must_be_a_boolean(project: Path) -> None:
    (project / "losslint.toml").write_text('force-exclude = "yes"\n')
    assert run(".").exit_code == 2


def test_missing_config_file_exits_2_in_a_real_process(project: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "losslint", "check", "--config", "ci.toml", "train.py"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == "losslint: error: --config ci.toml: no such file\n"
