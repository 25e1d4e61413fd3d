"""The ``losslint check`` command: exit codes, selection, config, noqa, stdin, bad files."""

from __future__ import annotations

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
BAD_BCE = """\
import torch
import torch.nn.functional as F


def step(logits, y):
    return F.binary_cross_entropy_with_logits(torch.sigmoid(logits), y)
"""
GOOD = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(logits, y)
"""


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


def test_findings_exit_1_with_flake8_lines(project: Path) -> None:
    result = run("check", str(project))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{project / 'bad.py'}:5:12: LL001 " + lines[0].split(" LL001 ", 1)[1]
    assert "softmax at bad.py:5" in lines[0]
    # Then the count line, as ruff ends its output (issue 4).
    assert lines[1:] == ["Found 1 finding.", "[*] 1 fixable with the `--fix` option."]


def test_clean_exit_0(project: Path) -> None:
    result = run("check", str(project / "good.py"))
    assert result.exit_code == 0
    assert result.output == ""


def test_exit_zero_flag(project: Path) -> None:
    assert run("check", "--exit-zero", str(project)).exit_code == 0


def test_unknown_code_is_a_usage_error(project: Path) -> None:
    result = run("check", "--select", "XX9", str(project))
    assert result.exit_code == 2
    assert "unknown rule code or prefix: XX9" in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.py"))
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_select_and_ignore_by_code_and_prefix(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD)
    (tmp_path / "b.py").write_text(BAD_BCE)
    assert run("check", "--select", "LL002", str(tmp_path)).output.count("LL0") == 1
    assert run("check", "--ignore", "LL001", str(tmp_path)).output.count("LL002") == 1
    assert run("check", "--ignore", "LL0", str(tmp_path)).exit_code == 0
    # The most specific entry wins, as in ruff.
    result = run("check", "--ignore", "LL0", "--extend-select", "LL001", str(tmp_path))
    assert "LL001" in result.output and "LL002" not in result.output


def test_noqa_bare_and_with_codes(tmp_path: Path) -> None:
    line = "    return F.cross_entropy(F.softmax(logits, dim=1), y)"
    for comment, silenced in (
        ("  # noqa", True),
        ("  # noqa: LL001", True),
        ("  # NOQA:LL002,LL001", True),
        ("  # noqa: LL002", False),
    ):
        path = tmp_path / "x.py"
        path.write_text(BAD.replace(line, line + comment))
        assert (run("check", str(path)).exit_code == 0) is silenced, comment


def test_config_in_nearest_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.losslint]\nignore = ["LL001"]\nexclude = ["generated"]\n'
        '[tool.losslint.per-file-ignores]\n"tests/*" = ["LL002"]\n'
    )
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "bad.py").write_text(BAD)
    (package / "bce.py").write_text(BAD_BCE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "bce.py").write_text(BAD_BCE)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "bce.py").write_text(BAD_BCE)
    result = run("check", str(tmp_path))
    assert result.output.count("LL002") == 1 and "pkg" in result.output
    assert "LL001" not in result.output
    # The command line wins over the file.
    result = run("check", "--ignore", "LL002", str(tmp_path))
    assert "LL001" in result.output and "LL002" not in result.output


def test_broken_pyproject_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.losslint\nselect = ")
    (tmp_path / "a.py").write_text(BAD)
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith("losslint: error: cannot read")
    assert "Traceback" not in result.output


def test_explicit_file_is_checked_even_when_excluded(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.losslint]\nexclude = ["bad.py"]\n')
    (tmp_path / "bad.py").write_text(BAD)
    assert run("check", str(tmp_path)).exit_code == 0
    assert run("check", str(tmp_path / "bad.py")).exit_code == 1


def test_discovery_skips_venvs_hidden_and_build_folders(tmp_path: Path) -> None:
    for folder in (".git", ".hidden", "build", "dist", "__pycache__", "site-packages", "myenv"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bad.py").write_text(BAD)
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.py").write_text(BAD)
    result = run("check", str(tmp_path))
    assert result.output.count("LL001") == 1 and "src" in result.output


def test_stdin_with_filename() -> None:
    result = run("check", "-", "--stdin-filename", "train.py", input=BAD.encode())
    assert result.exit_code == 1
    assert result.output.startswith("train.py:5:12: LL001")


def test_syntax_error_next_to_good_file(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import torch.nn.functional as F\nF.cross_entropy(\n")
    (tmp_path / "bad.py").write_text(BAD)
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    findings = [line for line in result.output.splitlines() if ": LL" in line]
    codes = [line.split(": ")[1].split()[0] for line in findings]
    assert sorted(codes) == ["LL000", "LL001"]
    assert "Traceback" not in result.output


def test_non_utf8_file_is_ll000(tmp_path: Path) -> None:
    (tmp_path / "latin.py").write_bytes(
        b"import torch.nn.functional as F\n# caf\xe9\nF.cross_entropy\n"
    )
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert "LL000 cannot decode" in result.output


def test_latin1_with_cookie_is_fine(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\n# café\n" + BAD
    (tmp_path / "latin.py").write_bytes(source.encode("latin-1"))
    result = run("check", str(tmp_path))
    assert result.output.count("LL001") == 1 and "LL000" not in result.output


def test_empty_file_is_clean(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_text("")
    assert run("check", str(tmp_path / "empty.py")).exit_code == 0


def test_rules_and_explain() -> None:
    listed = run("rules").output
    assert "LL001  probabilities-into-cross-entropy" in listed
    page = run("explain", "ll001")
    assert page.exit_code == 0 and page.output.startswith(
        "# LL001 probabilities-into-cross-entropy"
    )
    assert run("explain", "LL999").exit_code == 2


def test_rules_lists_input_and_target_swapped_and_explains_it() -> None:
    assert "LL015  input-and-target-swapped" in run("rules").output
    page = run("explain", "LL015")
    assert page.exit_code == 0 and page.output.startswith("# LL015 input-and-target-swapped")


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    completed = subprocess.run(
        [sys.executable, "-m", "losslint", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert completed.returncode == 1
    assert "LL001" in completed.stdout
