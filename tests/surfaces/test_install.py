"""Installing losslint as the README says: the distribution's name, and the built wheel.

The name ``losslint`` on the package index belongs to an unrelated project, so every
install line must name the distribution that ``pyproject.toml`` builds.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from fresh_venv import environment, fresh_venv

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DISTRIBUTION = PROJECT["name"]
BAD = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(F.softmax(logits, dim=1), y)
"""


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=!~;@ ]", requirement.strip("'\""), maxsplit=1)[0]


def _readme_requirements() -> list[str]:
    """Every package the README tells a user to install (not ``.`` or ``-e .``)."""
    found = []
    for line in re.findall(r"pip install ([^`\n]*)", README):
        words = shlex.split(line.split("&&")[0])
        skip_next = False
        for word in words:
            if skip_next:
                skip_next = False
            elif word in ("-c", "-r", "--constraint", "--requirement"):
                skip_next = True
            elif not word.startswith("-") and not word.startswith("."):
                found.append(word)
    for items in re.findall(r"additional_dependencies: \[([^\]]*)\]", README):
        found.extend(item.strip() for item in items.split(","))
    return found


def test_distribution_is_not_the_unrelated_losslint_on_the_index() -> None:
    assert DISTRIBUTION == "torch-losslint"


def test_readme_install_lines_name_the_distribution() -> None:
    requirements = _readme_requirements()
    ours = [r for r in requirements if "losslint" in _requirement_name(r)]
    # flake8, pre-commit, code scanning, the language server and the tracer (twice).
    assert len(ours) >= 6, requirements
    assert {_requirement_name(r) for r in ours} == {DISTRIBUTION}


def test_readme_extras_exist() -> None:
    extras = set(re.findall(rf"{DISTRIBUTION}\[(\w+)\]", README))
    assert extras and extras <= set(PROJECT["optional-dependencies"])


def test_readme_says_first_which_package_to_install() -> None:
    opening = "\n".join(README.splitlines()[:8])
    assert f"pip install {DISTRIBUTION}" in opening


def test_runtime_extra_needs_torch_2_4() -> None:
    """The tracer calls ``torch.is_autocast_enabled(device_type)``, new in torch 2.4."""
    assert PROJECT["optional-dependencies"]["runtime"] == ["torch>=2.4"]


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    return fresh_venv(tmp_path_factory)


def test_built_wheel_installs_the_command_and_checks(venv: Path, tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(BAD)
    result = subprocess.run(
        ["losslint", "check", "train.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment(venv),
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("train.py:5:12: LL001 ")
    shown = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "show", DISTRIBUTION],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0 and f"Name: {DISTRIBUTION}" in shown.stdout


NO_TORCH = (
    "losslint: error: the runtime tracer needs torch (2.4 or later); "
    "install it with: pip install 'torch-losslint[runtime]'\n"
)


def _in_venv(venv: Path, cwd: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=environment(venv), timeout=300
    )


def test_trace_without_torch_says_to_install_the_runtime_extra(venv: Path, tmp_path) -> None:
    (tmp_path / "train.py").write_text("print('ran')\n")
    result = _in_venv(venv, tmp_path, "losslint", "trace", "train.py")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", NO_TORCH)


def test_pytest_losslint_trace_without_torch_says_to_install(venv: Path, tmp_path) -> None:
    (tmp_path / "test_light.py").write_text("def test_light():\n    pass\n")
    python = str(venv / "bin" / "python")
    result = _in_venv(venv, tmp_path, python, "-m", "pytest", "-p", "no:cacheprovider", "-q")
    assert result.returncode == 0, result.stdout  # the plugin costs nothing when not asked
    traced = _in_venv(venv, tmp_path, python, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                      "--losslint-trace")  # fmt: skip
    assert traced.returncode == 4  # pytest's status for a usage error
    assert "Traceback" not in traced.stdout + traced.stderr
    assert traced.stderr.strip() == NO_TORCH.strip().replace(
        "losslint: error: ", "ERROR: losslint: "
    )


def test_server_without_pygls_says_to_install_the_lsp_extra(venv: Path, tmp_path) -> None:
    result = _in_venv(venv, tmp_path, "losslint", "server")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "pip install 'torch-losslint[lsp]'" in result.stderr
