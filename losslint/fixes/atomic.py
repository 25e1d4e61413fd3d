"""Writing a fixed file so that it is never lost, truncated or half-written.

The new content goes to a temporary file in the same folder (so the final rename
stays on one file system, where it is atomic), is flushed to disk, takes the old
file's permission bits, and replaces the old file by ``os.replace``. Until that
rename the old file is untouched; if anything fails, the temporary file is removed
and the old file is exactly as it was. A file whose bytes changed since they were
read (an editor saved it meanwhile) is not overwritten.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path


class ChangedOnDisk(OSError):
    """The file no longer holds the bytes the fixes were computed from."""


def write_atomic(path: Path, data: bytes, expected: bytes) -> None:
    """Replace ``path``'s content ``expected`` with ``data``, atomically.

    A symbolic link is followed: the file it points to is replaced, the link stays.
    Raises :class:`ChangedOnDisk` when the file no longer holds ``expected``, and
    OSError when it cannot be written; in both cases the file is left as it was.
    """
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(os.stat(target).st_mode)
    _check_unchanged(target, expected)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".losslint-tmp", dir=target.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        _keep_owner(target, temporary)
        _check_unchanged(target, expected)  # as late as possible before the rename
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _check_unchanged(target: Path, expected: bytes) -> None:
    if target.read_bytes() != expected:
        raise ChangedOnDisk(f"{target} changed on disk since it was read; not overwritten")


def _keep_owner(target: Path, temporary: str) -> None:
    """Give the new file the old one's owner and group where this process may."""
    if not hasattr(os, "chown"):
        return
    info = os.stat(target)
    with suppress(OSError):
        os.chown(temporary, info.st_uid, info.st_gid)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
