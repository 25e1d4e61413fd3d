"""Fixed files are written atomically: never truncated, never lost, never over someone's edit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from losslint.fixes import atomic
from losslint.fixes.atomic import ChangedOnDisk, write_atomic

OLD = b"old = 1\n"
NEW = b"new = 2\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".losslint-tmp"))


def test_replaces_content_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(OLD)
    path.chmod(0o640)
    write_atomic(path, NEW, OLD)
    assert path.read_bytes() == NEW
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_executable_bit_survives(tmp_path: Path) -> None:
    path = tmp_path / "run.py"
    path.write_bytes(OLD)
    path.chmod(0o755)
    write_atomic(path, NEW, OLD)
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(b"edited meanwhile\n")
    with pytest.raises(ChangedOnDisk):
        write_atomic(path, NEW, OLD)
    assert path.read_bytes() == b"edited meanwhile\n"
    assert _leftovers(tmp_path) == []


def test_a_change_during_the_write_is_caught_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(OLD)
    real_chmod = os.chmod

    def editor_saves(target, mode, *args, **kwargs):
        real_chmod(target, mode, *args, **kwargs)
        path.write_bytes(b"saved by the editor\n")

    monkeypatch.setattr(atomic.os, "chmod", editor_saves)
    with pytest.raises(ChangedOnDisk):
        write_atomic(path, NEW, OLD)
    assert path.read_bytes() == b"saved by the editor\n"
    assert _leftovers(tmp_path) == []


def test_failing_rename_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(OLD)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(path, NEW, OLD)
    assert path.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_failing_write_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(OLD)

    def fail(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", fail)
    with pytest.raises(OSError):
        write_atomic(path, NEW, OLD)
    assert path.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_interrupt_mid_write_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(OLD)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, NEW, OLD)
    assert path.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_symbolic_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_bytes(OLD)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    write_atomic(link, NEW, OLD)
    assert link.is_symlink() and real.read_bytes() == NEW
