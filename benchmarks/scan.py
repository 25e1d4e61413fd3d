"""How fast losslint checks real code bases, next to ruff, measured in the same run.

    python benchmarks/scan.py --setup       # realcode.py's pinned sources, and ruff
    python benchmarks/scan.py [--repeats 3] [--projects timm torchvision ...]
    python benchmarks/scan.py --baseline ../old-checkout   # and another losslint, same run

Prints one row per code base: its files, ``ruff check --no-cache --select ALL`` wall
and CPU time, ``losslint check`` cold (a fresh cache folder; default workers) wall and
CPU time, peak memory (the largest process's max RSS), the ratio of the two wall times,
and ``losslint check`` warm (the unchanged tree again, with that cache). Then the
single-file rows (one model file alone, cold, next to ruff on it) and the language
server's re-check of an edited file (in one process: the first check, then the
median of re-checks after an edit). Times are medians over ``--repeats``; compare them
only within one run. ``--baseline`` runs the same losslint commands with another
checkout's package (``PYTHONPATH``) and prints its rows beside, for before/after.

The sources are the ones ``benchmarks/realcode.py`` pins and diffs finding for finding,
so a speed change is measured on exactly the code whose findings must not change.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import realcode  # noqa: E402 - the pinned sources live there

TOOLS = HERE / "_sources" / "tools-venv"  # ruff, pinned
RUFF = "ruff==0.17.6"
# name: folder scanned, relative to the unpacked distribution of realcode.py's pin
PROJECTS = {
    "timm": ".",
    "torchvision": "torchvision",
    "transformers": "src/transformers",
    "lightning": ".",
    "fairseq": ".",
    "espnet": ".",
    "diffusers": ".",
}
SINGLE_FILES = {
    # row name: (code base, file)
    "vit one file": ("timm", "timm/models/vision_transformer.py"),
    "exporter one file": ("ultralytics", "ultralytics/engine/exporter.py"),
}
LSP_FILE = ("timm", "timm/models/vision_transformer.py")
LSP_TRAINING_FILE = ("ultralytics", "ultralytics/utils/loss.py")


def setup() -> None:
    realcode.setup(sorted({*PROJECTS, *(base for base, _ in SINGLE_FILES.values())}))
    if not (TOOLS / "bin" / "ruff").exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run([str(TOOLS / "bin" / "pip"), "install", "-q", RUFF], check=True)


def ruff() -> str:
    pinned = TOOLS / "bin" / "ruff"
    found = str(pinned) if pinned.exists() else shutil.which("ruff")
    if found is None:
        raise SystemExit("ruff missing: run with --setup first")
    return found


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None):
    """(wall seconds, CPU seconds, peak RSS in MB) of one run, measured by GNU time."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M", *command],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall, user, system, kilobytes = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(kilobytes) // 1024


def median_run(command, cwd, repeats, env=None, before=None):
    runs = []
    for _ in range(repeats):
        if before is not None:
            before()
        runs.append(timed(command, cwd, env))
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        max(r[2] for r in runs),
    )


def losslint_env(package_root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(package_root)}


def losslint_command(cache: Path, target: str) -> list[str]:
    check = [sys.executable, "-m", "losslint", "check", "--exit-zero", "--quiet"]
    return [*check, "--cache-dir", str(cache), target]


def compare(row: str, root: Path, target: str, versions, repeats: int, warm: bool) -> list[str]:
    """Rows for ``target`` (a folder or one file under ``root``): ruff, then each version
    of losslint cold (and warm, when asked) with its ratio to ruff's wall time."""
    if not (root / target).exists():
        return [f"{row:<21} not unpacked (run --setup)"]
    ruff_wall, ruff_cpu, _ = median_run(
        [ruff(), "check", "--no-cache", "--select", "ALL", "--exit-zero", "-q", target],
        root,
        repeats,
    )
    rows = [f"{row:<21}{'ruff ALL':<18}{ruff_wall:>8.2f}{ruff_cpu:>8.2f}"]
    for version, package in versions.items():
        cache = Path(tempfile.mkdtemp(prefix="losslint-bench-cache-"))
        command = losslint_command(cache, target)
        env = losslint_env(package)
        wall, cpu, peak = median_run(
            command, root, repeats, env, lambda cache=cache: shutil.rmtree(cache, True)
        )
        line = f"{'':<21}{version + ' cold':<18}{wall:>8.2f}{cpu:>8.2f}{peak:>8}"
        line += f"{wall / ruff_wall:>8.1f}x"
        if warm:
            line += f"{median_run(command, root, repeats, env)[0]:>8.2f}"
        shutil.rmtree(cache, ignore_errors=True)
        rows.append(line)
    return rows


def scan_project(name: str, folder: str, versions: dict[str, Path], repeats: int) -> list[str]:
    root = realcode.SOURCES / name
    files = sum(1 for _ in (root / folder).rglob("*.py"))
    return compare(f"{name:<13}{files:>6}", root, folder, versions, repeats, warm=True)


def single_file(row: str, base: str, file: str, versions, repeats: int) -> list[str]:
    return compare(row, realcode.SOURCES / base, file, versions, repeats, warm=False)


# Run in a fresh interpreter with the package under test first on sys.path: the
# language server's first check of a document, then re-checks after edits.
_LSP_SCRIPT = """
import statistics, sys, time
from pathlib import Path
from losslint import lsp
path = Path(sys.argv[1]).resolve()
text = path.read_text()
selection = lsp.selection_for(str(path))
projects = lsp.Projects() if hasattr(lsp, "Projects") else None  # kept as the server does

def check(text):
    document = lsp.Document(path.as_uri(), text)
    if projects is None:  # a checkout from before projects were kept
        return lsp.lint_document(document, selection)
    return lsp.lint_document(document, selection, projects.for_path(str(path)))

start = time.perf_counter()
check(text)
first = time.perf_counter() - start
times = []
for n in range(int(sys.argv[2])):
    start = time.perf_counter()
    check(text + f"\\n_edited_{n} = {n}\\n")
    times.append(time.perf_counter() - start)
print(first, statistics.median(times))
"""


def language_server(row: str, base: str, file: str, versions, repeats: int) -> list[str]:
    root = realcode.SOURCES / base
    if not (root / file).exists():
        return [f"{row:<21} not unpacked (run --setup)"]
    rows = []
    for version, package in versions.items():
        done = subprocess.run(
            [sys.executable, "-c", _LSP_SCRIPT, file, str(max(repeats, 3))],
            cwd=root,
            env=losslint_env(package),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            rows.append(f"{row:<21}{version}: failed\n{done.stderr.strip()}")
            continue
        first, again = (float(x) for x in done.stdout.split())
        rows.append(
            f"{row:<21}{version + ' re-check':<18}{again:>8.2f}   (first check {first:.2f})"
        )
        row = ""
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="download sources and ruff")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--projects", nargs="*", default=list(PROJECTS), choices=list(PROJECTS))
    parser.add_argument("--baseline", type=Path, help="another losslint checkout to compare")
    parser.add_argument("--no-single", action="store_true", help="skip single-file rows")
    options = parser.parse_args()
    if options.setup:
        setup()
        return
    versions = {"losslint": HERE.parent}
    if options.baseline is not None:
        versions["baseline"] = options.baseline.resolve()
    print(
        f"{'project':<13}{'files':>6}  {'tool':<18}{'wall s':>8}{'cpu s':>8}{'peak MB':>8}"
        f"{'÷ ruff':>9}{'warm s':>8}"
    )
    for name in options.projects:
        print("\n".join(scan_project(name, PROJECTS[name], versions, options.repeats)), flush=True)
    if options.no_single:
        return
    for row, (base, file) in SINGLE_FILES.items():
        print("\n".join(single_file(row, base, file, versions, options.repeats)), flush=True)
    for row, (base, file) in (("LSP model file", LSP_FILE), ("LSP loss file", LSP_TRAINING_FILE)):
        print("\n".join(language_server(row, base, file, versions, options.repeats)), flush=True)


if __name__ == "__main__":
    main()
