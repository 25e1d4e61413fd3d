"""A fresh virtual environment with losslint's built wheel installed, as a user gets it.

Building the wheel and filling the environment takes seconds, so it happens once per
test run: under pytest-xdist the workers share it through a lock in the run's base
temporary folder. The environment has no torch and no pygls (the linter must not
need them) and pytest (for the plugin). Packages come from the index (pip's cache
serves them on a second run); with no index reachable the tests that need it skip.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)


def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The environment's folder (``bin/losslint``, ``bin/python``), built at most once."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's own folder, above each worker's
    folder = shared / "fresh-venv"
    with open(shared / "fresh-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (folder / "failed").exists():
            pytest.skip((folder / "failed").read_text())
        if not (folder / "ready").exists():
            error = _build(folder)
            if error:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "failed").write_text(error)
                pytest.skip(error)
            (folder / "ready").write_text("")
    return folder


def _build(folder: Path) -> str | None:
    wheels = folder.parent / "fresh-venv-wheels"
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)
    )
    if built.returncode != 0:
        return f"cannot build the wheel (is the index reachable?): {built.stderr[-500:]}"
    [wheel] = wheels.glob("*.whl")
    made = _run(sys.executable, "-m", "venv", str(folder))
    if made.returncode != 0:
        return f"cannot make a virtual environment: {made.stderr[-500:]}"
    python = str(folder / "bin" / "python")
    installed = _run(python, "-m", "pip", "install", "-q", str(wheel), "pytest")
    if installed.returncode != 0:
        return f"cannot install the wheel (is the index reachable?): {installed.stderr[-500:]}"
    return None


def environment(folder: Path) -> dict[str, str]:
    """Variables for a command run as a user of that environment (no PYTHONPATH of ours)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PATH"] = os.pathsep.join([str(folder / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(folder)
    return env
