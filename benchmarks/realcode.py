"""What losslint reports on real code bases, finding for finding, against a reference.

    python benchmarks/realcode.py --setup                 # download and unpack once
    python benchmarks/realcode.py                         # scan, diff against the reference
    python benchmarks/realcode.py --write-reference       # after reading every change

Each code base is pinned (an sdist, or the wheel where the index has no sdist) and
scanned as a user would: ``losslint check --no-cache --exit-zero --jobs 1`` from its
unpacked root, one process per code base. The findings (paths relative to that root)
are compared with ``benchmarks/realcode_findings.txt``, whose every line was read and
judged by hand (the closing notes of the issues that changed them say how). A change
of the analysis that should not change findings (speed work) must print an empty
diff; one that should (a new idiom) prints the lines to read. Wall time per code base
is printed too, but compare times only within one run of ``benchmarks/scan.py``.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "_sources" / "realcode"
REFERENCE = HERE / "realcode_findings.txt"
_TRANSFORMERS = "src/transformers"

# name: (pip requirement, folders to scan inside the unpacked distribution)
CODE_BASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "torchvision": ("torchvision==0.29.1", ("torchvision",)),
    "timm": ("timm==1.0.31", (".",)),
    "transformers": (
        "transformers==5.25.0",
        tuple(
            f"{_TRANSFORMERS}/{part}"
            for part in (
                "loss",
                "generation",
                "models/rt_detr",
                "models/detr",
                "models/deformable_detr",
                "models/lw_detr",
                "models/grounding_dino",
                "models/bert",
                "models/vit",
                "models/clip",
            )
        ),
    ),
    "lightning": ("lightning==2.6.6", (".",)),
    "pytorch-ignite": ("pytorch-ignite==0.5.5", (".",)),
    "diffusers": ("diffusers==0.42.1", (".",)),
    "fairseq": ("fairseq==0.12.2", (".",)),
    "espnet": ("espnet==202511", (".",)),
    "torch_geometric": ("torch_geometric==2.8.1", (".",)),
    "mmdet": ("mmdet==3.3.0", ("mmdet",)),
    "ultralytics": ("ultralytics==8.4.190", (".",)),
    "speechbrain": ("speechbrain==1.1.2", (".",)),
    "torchmetrics": ("torchmetrics==1.9.0", (".",)),
    "kornia": ("kornia==0.9.0", (".",)),
    "monai": ("monai==1.6.1", ("monai",)),
    "segmentation-models-pytorch": ("segmentation-models-pytorch==0.6.0", (".",)),
    "pytorch-metric-learning": ("pytorch-metric-learning==2.9.0", (".",)),
}
_FINDING = re.compile(r":\d+:\d+: LL\d{3}")


def setup(names: list[str]) -> None:
    """Download each code base (its sdist, else its wheel) and unpack it once."""
    SOURCES.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = SOURCES / name
        if target.exists():
            continue
        requirement = CODE_BASES[name][0]
        with tempfile.TemporaryDirectory() as download:
            for only in ("--no-binary=:all:", "--only-binary=:all:"):
                done = subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--no-deps", "-q", only]
                    + ["-d", download, requirement],
                    capture_output=True,
                )
                if done.returncode == 0:
                    break
            else:
                print(f"{name}: not on the index ({requirement})", file=sys.stderr)
                continue
            archive = next(Path(download).iterdir())
            unpack(archive, target)
        print(f"{name}: {archive.name}")


def unpack(archive: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory(dir=SOURCES) as scratch:
        if archive.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(scratch)
            root = Path(scratch)
        else:
            with tarfile.open(archive) as tar:
                tar.extractall(scratch, filter="data")
            (root,) = Path(scratch).iterdir()  # an sdist holds one folder
        root.rename(target)


def scan(name: str) -> tuple[list[str], float]:
    """The findings of one code base, sorted, prefixed with its name, and the wall time."""
    root = SOURCES / name
    folders = [f for f in CODE_BASES[name][1] if (root / f).exists()]
    command = [sys.executable, "-m", "losslint", "check", "--no-cache", "--exit-zero"]
    command += ["--jobs", "1", *folders]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}  # this checkout's losslint
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        print(f"{name}: losslint exited {done.returncode}\n{done.stderr}", file=sys.stderr)
    lines = [line.removeprefix("./") for line in done.stdout.splitlines() if _FINDING.search(line)]
    return sorted(f"{name}/{line}" for line in lines), elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="download and unpack")
    parser.add_argument("--write-reference", action="store_true", help="replace the reference")
    parser.add_argument("--only", nargs="*", choices=sorted(CODE_BASES), help="these code bases")
    args = parser.parse_args(argv)
    names = args.only or list(CODE_BASES)
    if args.setup:
        setup(names)
        return 0
    found: list[str] = []
    for name in names:
        if not (SOURCES / name).exists():
            print(f"{name}: not unpacked (run --setup)", file=sys.stderr)
            continue
        lines, elapsed = scan(name)
        found += lines
        print(f"{name}: {len(lines)} findings, {elapsed:.1f} s", file=sys.stderr)
    reference = REFERENCE.read_text().splitlines() if REFERENCE.exists() else []
    reference = [line for line in reference if line.split("/", 1)[0] in names]
    if args.write_reference:
        REFERENCE.write_text("".join(f"{line}\n" for line in sorted(found)))
        print(f"wrote {len(found)} findings to {REFERENCE.name}")
        return 0
    found.sort()
    diff = list(difflib.unified_diff(reference, found, "reference", "now", lineterm="", n=0))
    print("\n".join(diff) if diff else f"same {len(found)} findings as the reference")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
