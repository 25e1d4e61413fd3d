"""``losslint check --fix / --diff / --unsafe-fixes / --show-fixes`` from the command line."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from losslint.cli import main

BAD = """\
import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))


def step(logits, y, x):
    probs = F.softmax(logits, dim=1)
    a = F.cross_entropy(probs, y)
    b = F.binary_cross_entropy_with_logits(torch.sigmoid(logits), y)
    c = F.cross_entropy(model(x), y)
    return a + b + c
"""
FIXED_SAFE = BAD.replace(
    "    probs = F.softmax(logits, dim=1)\n    a = F.cross_entropy(probs, y)",
    "    a = F.cross_entropy(logits, y)",
).replace("torch.sigmoid(logits)", "logits")
FLAKE8 = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>LL\d{3}) (?P<rest>.*)$")


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["check", *args], input=input, catch_exceptions=False)


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "train.py"
    path.write_text(BAD)
    return path


def test_plain_check_marks_fixable_findings_and_counts(bad: Path) -> None:
    result = run(str(bad))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    findings = [FLAKE8.match(line) for line in lines[:3]]
    assert all(findings)
    marks = [m["rest"].startswith("[*] ") for m in findings]
    assert [m["code"] for m in findings] == ["LL001", "LL002", "LL001"]
    assert marks == [True, True, False]  # the model change is unsafe: not marked
    assert lines[3:] == [
        "Found 3 findings.",
        "[*] 2 fixable with the `--fix` option "
        "(1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]


def test_clean_file_prints_nothing(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("import torch.nn.functional as F\nF.cross_entropy(x, y)\n")
    result = run(str(tmp_path / "ok.py"))
    assert result.exit_code == 0 and result.output == ""


def test_diff_shows_the_repairs_and_writes_nothing(bad: Path) -> None:
    result = run("--diff", str(bad))
    assert bad.read_text() == BAD
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {bad}\n+++ {bad}\n@@ ")
    assert "-    probs = F.softmax(logits, dim=1)\n" in result.stdout
    assert "+    a = F.cross_entropy(logits, y)\n" in result.stdout
    assert "Would fix 2 findings (1 remaining)." in result.stderr


def test_fix_applies_safe_fixes_and_reports_the_rest(bad: Path) -> None:
    result = run("--fix", str(bad))
    assert bad.read_text() == FIXED_SAFE
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert FLAKE8.match(lines[0])["code"] == "LL001"
    assert lines[1] == "Found 3 findings (2 fixed, 1 remaining)."


def test_second_fix_changes_nothing(bad: Path) -> None:
    run("--fix", str(bad))
    before = bad.read_bytes()
    result = run("--fix", str(bad))
    assert bad.read_bytes() == before
    assert "Found 1 finding (0 fixed, 1 remaining)." in result.stdout


def test_unsafe_fixes_fix_everything(bad: Path) -> None:
    result = run("--fix", "--unsafe-fixes", str(bad))
    assert result.exit_code == 0
    assert result.stdout == "Found 3 findings (3 fixed, 0 remaining).\n"
    assert "nn.Sequential(nn.Linear(4, 3))\n" in bad.read_text()


def test_show_fixes_lists_what_changed(bad: Path) -> None:
    result = run("--fix", "--show-fixes", str(bad))
    out = result.stdout
    assert "Fixed 2 findings:\n" in out
    assert f"  {bad}:10:9: LL001 Remove `F.softmax`: pass `logits` to the loss\n" in out
    assert f"  {bad}:11:9: LL002 Remove `torch.sigmoid`: pass `logits` to the loss\n" in out


def test_fix_on_stdin_prints_the_fixed_source(bad: Path) -> None:
    result = run("--fix", "-", "--stdin-filename", "train.py", input=BAD.encode())
    assert result.stdout == FIXED_SAFE
    assert "train.py:11:9: LL001" in result.stderr  # after the fixes
    assert "Found 3 findings (2 fixed, 1 remaining)." in result.stderr
    assert result.exit_code == 1


def test_json_output_stays_json_with_fix(bad: Path) -> None:
    result = run("--fix", "--format", "json", str(bad))
    [item] = json.loads(result.stdout)
    assert item["code"] == "LL001" and item["fix"]["safe"] is False


def test_fix_keeps_crlf_bom_cookie_and_missing_final_newline(tmp_path: Path) -> None:
    text = "# -*- coding: utf-8 -*-\n# café\n" + BAD.rstrip("\n")
    data = "\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "train.py"
    path.write_bytes(data)
    path.chmod(0o750)
    run("--fix", str(path))
    out = path.read_bytes()
    assert out.startswith("\ufeff# -*- coding: utf-8 -*-\r\n# café\r\n".encode())
    assert out.count(b"\r\n") == out.count(b"\n")
    assert not out.endswith(b"\n")
    expected = "# -*- coding: utf-8 -*-\n# café\n" + FIXED_SAFE.rstrip("\n")
    assert out.decode("utf-8-sig") == expected.replace("\n", "\r\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o750


def test_latin1_file_is_written_back_in_latin1(tmp_path: Path) -> None:
    text = "# -*- coding: latin-1 -*-\n# café\n" + BAD
    path = tmp_path / "train.py"
    path.write_bytes(text.encode("latin-1"))
    run("--fix", str(path))
    assert path.read_bytes() == ("# -*- coding: latin-1 -*-\n# café\n" + FIXED_SAFE).encode(
        "latin-1"
    )


def test_file_changed_during_the_run_is_not_overwritten(
    bad: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from losslint.fixes import files

    real = files.fix_bytes

    def edit_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        bad.write_text("# edited by someone\n")
        return result

    monkeypatch.setattr(files, "fix_bytes", edit_meanwhile)
    result = run("--fix", str(bad))
    assert bad.read_text() == "# edited by someone\n"
    assert result.exit_code == 2
    assert "changed on disk" in result.stderr
    assert "Found 3 findings (0 fixed, 3 remaining)." in result.stdout


def test_fixed_file_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(BAD)
    (tmp_path / "pkg" / "b.py").write_text(BAD)
    result = run("--fix", str(tmp_path))
    assert "Found 6 findings (4 fixed, 2 remaining)." in result.stdout
    assert (tmp_path / "pkg" / "a.py").read_text() == FIXED_SAFE


def test_fix_on_stdin_with_output_file_still_prints_the_source(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run("--fix", "--format", "json", "--output-file", str(report), "-", input=BAD.encode())
    assert result.stdout == FIXED_SAFE
    [item] = json.loads(report.read_text())
    assert item["code"] == "LL001"
