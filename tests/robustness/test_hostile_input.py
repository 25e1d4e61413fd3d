"""Nothing a user feeds losslint crashes it: each bad input is one clear LL000 line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from losslint.cli import main
from losslint.linter import lint_bytes
from losslint.runner import Job, check_jobs
from losslint.selection import Selection

REPO = Path(__file__).resolve().parents[2]
LOSS = b"import torch.nn.functional as F\nloss = F.cross_entropy(logits, y)\n"


def check(*paths: Path):
    result = CliRunner().invoke(main, ["check", *map(str, paths)], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def finding_lines(result) -> list[str]:
    """The flake8-style lines of the output (not the closing count)."""
    return [line for line in result.output.splitlines() if re.match(r".+:\d+:\d+: LL\d{3} ", line)]


def only_ll000(result) -> str:
    lines = finding_lines(result)
    assert len(lines) == 1 and " LL000 " in lines[0], result.output
    return lines[0]


def test_binary_file_named_py(tmp_path: Path) -> None:
    (tmp_path / "blob.py").write_bytes(os.urandom(2048) + b"cross_entropy" + bytes(range(256)))
    line = only_ll000(check(tmp_path / "blob.py"))
    assert "cannot" in line


def test_non_utf8_without_cookie(tmp_path: Path) -> None:
    (tmp_path / "latin.py").write_bytes(LOSS + "# naïve\n".encode("latin-1"))
    assert "LL000 cannot decode" in only_ll000(check(tmp_path / "latin.py"))


def test_null_bytes(tmp_path: Path) -> None:
    (tmp_path / "nul.py").write_bytes(LOSS + b"x = 1\0\n")
    assert check(tmp_path / "nul.py").exit_code in (0, 1)


@pytest.mark.parametrize("opening", ["(", "[", "{"])
def test_deeply_nested_expression(tmp_path: Path, opening: str) -> None:
    closing = {"(": ")", "[": "]", "{": "}"}[opening]
    depth = 20_000
    nested = (opening * depth + closing * depth).encode()
    (tmp_path / "deep.py").write_bytes(LOSS + b"x = " + nested + b"\n")
    assert "too deeply nested" in only_ll000(check(tmp_path / "deep.py"))


def test_long_operator_chain_is_not_a_crash() -> None:
    chain = b"x = " + b" + ".join([b"a"] * 3000) + b"\n"
    diagnostics = lint_bytes(LOSS + chain, "chain.py")
    assert all(d.code == "LL000" for d in diagnostics)


def test_large_generated_file_is_refused_in_little_memory(tmp_path: Path) -> None:
    big = tmp_path / "generated.py"
    line = b"value = F.cross_entropy(logits, targets)  # generated\n"
    with big.open("wb") as stream:
        stream.write(b"import torch.nn.functional as F\n")
        for _ in range(50 * 1024 * 1024 // len(line)):
            stream.write(line)
    script = textwrap.dedent(
        f"""
        import resource
        from pathlib import Path
        import losslint.linter as linter
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        found = linter.lint_path(Path({str(big)!r}))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(found[0].code, found[0].message)
        print((after - before) // 1024)
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO
    )
    message, grown_mb = completed.stdout.strip().splitlines()
    assert message.startswith("LL000 too large to analyse")
    assert int(grown_mb) < 3 * 50  # a few times the input at most


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a folder loop is not followed
    (tmp_path / "real.py").write_bytes(LOSS)
    result = check(tmp_path)
    lines = finding_lines(result)
    assert len(lines) == 2
    assert all("LL000 cannot read" in line for line in lines)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "secret.py"
    target.write_bytes(LOSS)
    real_read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert "LL000 cannot read: Permission denied" in only_ll000(check(tmp_path))


def test_file_deleted_mid_run(tmp_path: Path) -> None:
    kept, gone = tmp_path / "kept.py", tmp_path / "gone.py"
    kept.write_bytes(b"import torch.nn.functional as F\nF.cross_entropy(F.softmax(x, 1), y)\n")
    gone.write_bytes(LOSS)
    jobs = [Job(kept, str(kept)), Job(gone, str(gone))]
    gone.unlink()  # discovered, then deleted before it was read
    outcome = check_jobs(jobs, Selection(), workers=1)
    codes = sorted((Path(d.location.path).name, d.code) for d in outcome.diagnostics)
    assert codes == [("gone.py", "LL000"), ("kept.py", "LL001")]
    assert not outcome.errors


@pytest.mark.parametrize(
    "content",
    [
        b'{"cells": [',
        b'{"cells": 3, "note": "cross_entropy"}',
        json.dumps({"cells": [{"cell_type": "code", "source": 7}], "x": "cross_entropy"}).encode(),
        b"\xff\xfe cross_entropy",
    ],
)
def test_malformed_notebook(tmp_path: Path, content: bytes) -> None:
    notebook = tmp_path / "broken.ipynb"
    notebook.write_bytes(content + b" cross_entropy")
    line = only_ll000(check(notebook))
    assert "broken.ipynb:1:1: LL000" in line


def test_broken_pyproject_exits_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.losslint]\nselect = [")
    (tmp_path / "a.py").write_bytes(LOSS)
    result = check(tmp_path)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("losslint: error:")
