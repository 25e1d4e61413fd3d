"""Which files a run checks."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path

SOURCE_SUFFIXES = (".py", ".ipynb")
SKIPPED_FOLDERS = frozenset(
    {"__pycache__", "site-packages", "build", "dist", "node_modules", "venv", "__pypackages__"}
)


def is_excluded(path: Path, patterns: tuple[str, ...], root: Path | None) -> bool:
    """Whether ``path`` matches an exclude glob, by name or by path below ``root``."""
    if not patterns:
        return False
    candidates = {path.name, path.as_posix()}
    if root is not None:
        try:
            candidates.add(
                Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
            )
        except ValueError:
            pass
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, pattern) or fnmatch.fnmatch(candidate, f"*/{pattern}"):
                return True
    return False


def is_excluded_named(path: Path, patterns: tuple[str, ...], root: Path | None) -> bool:
    """Whether a file named on the command line is excluded, itself or by a folder above
    it (``--force-exclude``). Only folders below ``root`` (else below the current folder)
    count, so a pattern never matches where the project happens to live."""
    if not patterns:
        return False
    if is_excluded(path, patterns, root):
        return True
    top = Path(os.path.realpath(root if root is not None else "."))
    for folder in path.parents:
        real = Path(os.path.realpath(folder))
        if real == top or top not in real.parents:
            break
        if is_excluded(folder, patterns, root):
            return True
    return False


def _skip_folder(folder: Path) -> bool:
    name = folder.name
    if name.startswith(".") or name in SKIPPED_FOLDERS:
        return True
    return (folder / "pyvenv.cfg").exists()  # a virtual environment under any name


def discover(
    paths: list[Path], exclude: tuple[str, ...] = (), root: Path | None = None
) -> Iterator[Path]:
    """Files to check, in a stable order. A file named explicitly is always checked."""
    seen: set[Path] = set()
    for path in paths:
        if not path.is_dir():
            if path not in seen:
                seen.add(path)
                yield path
            continue
        for folder, subfolders, files in os.walk(path):
            here = Path(folder)
            subfolders[:] = sorted(
                name
                for name in subfolders
                if not _skip_folder(here / name) and not is_excluded(here / name, exclude, root)
            )
            for name in sorted(files):
                file = here / name
                if file.suffix in SOURCE_SUFFIXES and not is_excluded(file, exclude, root):
                    if file not in seen:
                        seen.add(file)
                        yield file
