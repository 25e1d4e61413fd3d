"""How fast losslint checks real code bases, next to ruff, flake8 and torchfix.

    python benchmarks/scan.py --setup      # download the sources and the tools once
    python benchmarks/scan.py [--repeats 3] [--projects timm torchvision transformers]

Prints, per project: files, then for each tool the median wall time over repeats
and its peak memory (max RSS of the process), and losslint's ratio to
``ruff check --no-cache --select ALL`` measured in the same run. ``losslint cold``
runs with a fresh cache folder; ``losslint warm`` runs again on the unchanged tree
with that cache. torchfix needs an older LibCST than losslint, so it lives in its own
virtual environment under ``benchmarks/_sources/torchfix-venv`` (and out of flake8's: it
registers itself as a flake8 plugin).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "_sources"
TOOLS = SOURCES / "tools-venv"  # ruff and flake8
TORCHFIX = SOURCES / "torchfix-venv"  # alone: it is also a flake8 plugin, and would slow flake8
PROJECTS = {
    # name: (pip requirement, folder to scan inside the unpacked distribution)
    "timm": ("timm", "timm"),
    "torchvision": ("torchvision==0.29.1", "torchvision"),
    "transformers": ("transformers", "transformers"),
}


def setup() -> None:
    """Unpack each project's sources (sdist, or wheel when there is no sdist) and make
    the tools' environment."""
    SOURCES.mkdir(exist_ok=True)
    for name, (requirement, _) in PROJECTS.items():
        target = SOURCES / name
        if target.exists():
            continue
        with tempfile.TemporaryDirectory() as download:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "-q",
                    "-d",
                    download,
                    requirement,
                ],
                check=True,
            )
            archive = next(Path(download).iterdir())
            target.mkdir()
            if archive.suffix == ".whl":
                zipfile.ZipFile(archive).extractall(target)
            else:
                with tarfile.open(archive) as tar:
                    tar.extractall(target, filter="data")
    for venv, packages in ((TOOLS, ["flake8", "ruff"]), (TORCHFIX, ["torchfix"])):
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *packages], check=True)


def scan_root(name: str) -> Path:
    """The package folder inside the unpacked distribution."""
    folder = PROJECTS[name][1]
    found = sorted(
        SOURCES.joinpath(name).glob(f"**/{folder}/__init__.py"), key=lambda p: len(p.parts)
    )
    if not found:
        raise SystemExit(f"{name}: sources missing; run with --setup first")
    return found[0].parent


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one run, measured by GNU time."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%e %M", *command],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds, kilobytes = report.read().split()[-2:]
    return float(seconds), int(kilobytes) // 1024


def measure(command: list[str], cwd: Path, repeats: int, before=None) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(repeats):
        if before is not None:
            before()
        seconds, peak = timed(command, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="download sources and tools")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--torchfix-repeats", type=int, default=1)
    parser.add_argument("--projects", nargs="*", default=list(PROJECTS))
    parser.add_argument("--skip", nargs="*", default=[], help="tools to leave out")
    options = parser.parse_args()
    if options.setup:
        setup()
        return
    tools_bin = TOOLS / "bin"
    print(f"{'project':<13}{'files':>6}  {'tool':<16}{'median s':>9}{'peak MB':>9}{'÷ ruff':>8}")
    for name in options.projects:
        root = scan_root(name)
        files = sum(1 for _ in root.rglob("*.py"))
        cache = Path(tempfile.mkdtemp(prefix="losslint-bench-cache-"))
        losslint = [
            sys.executable,
            "-m",
            "losslint",
            "check",
            "--exit-zero",
            "--cache-dir",
            str(cache),
            str(root),
        ]
        runs = {
            "ruff ALL": (
                [
                    str(tools_bin / "ruff"),
                    "check",
                    "--no-cache",
                    "--select",
                    "ALL",
                    "--exit-zero",
                    "-q",
                    str(root),
                ],
                options.repeats,
                None,
            ),
            "losslint cold": (
                losslint,
                options.repeats,
                lambda cache=cache: shutil.rmtree(cache, ignore_errors=True),
            ),
            "losslint warm": (losslint, options.repeats, None),
            "flake8": (
                [str(tools_bin / "flake8"), "--exit-zero", str(root)],
                options.repeats,
                None,
            ),
            "torchfix": (
                [str(TORCHFIX / "bin" / "torchfix"), str(root)],
                options.torchfix_repeats,
                None,
            ),
        }
        results = {}
        for tool, (command, repeats, before) in runs.items():
            if tool.split()[0] in options.skip:
                continue
            results[tool] = measure(command, HERE.parent, repeats, before)
        ruff = results.get("ruff ALL", (None, None))[0]
        for tool, (seconds, peak) in results.items():
            ratio = f"{seconds / ruff:7.2f}x" if ruff else ""
            print(f"{name:<13}{files:>6}  {tool:<16}{seconds:>9.2f}{peak:>9}{ratio:>8}")
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
