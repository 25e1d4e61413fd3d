"""Per-file results kept between runs, in ``.losslint_cache/``.

One index per run configuration (losslint's version, a fingerprint of losslint's own
files, and the effective settings) maps each file to the hash of its bytes, the
hashes of every other project file its analysis read (the model file a training
script imports), and its diagnostics. An entry is used only when all those hashes
still match, so editing a model file invalidates the scripts that import it.
Reading the index and hashing the files is all a warm run does: it never parses.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from losslint import __version__
from losslint.diagnostics import Diagnostic, Edit, Fix, Location

CACHE_FOLDER = ".losslint_cache"


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Entry:
    digest: str
    dependencies: dict[str, str | None]
    diagnostics: list[Diagnostic]


@functools.cache
def code_fingerprint() -> str:
    """A hash of the source of the installed losslint package, computed once per process.

    The version string alone is not enough: every commit of a checkout (and every
    pre-commit ``rev``) says the same version, and a cache keyed by it would serve an
    unchanged file the old analysis's findings. Reading the package's own files
    (about half a megabyte) costs a few milliseconds.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for file in sorted(package.rglob("*.py")):
        try:
            data = file.read_bytes()
        except OSError:
            continue
        digest.update(file.relative_to(package).as_posix().encode() + b"\0")
        digest.update(content_hash(data).encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        key = content_hash(f"{__version__}\0{code_fingerprint()}\0{settings}".encode())
        self.index_path = folder / f"v{__version__}-{key}.json"
        self._entries: dict[str, dict] | None = None
        self._hashes: dict[str, str | None] = {}
        self._dirty = False

    # ------------------------------------------------------------------ hashes
    def file_hash(self, path: str) -> str | None:
        """Hash of a file's current bytes, read at most once per run."""
        path = os.path.abspath(path)
        if path not in self._hashes:
            try:
                self._hashes[path] = content_hash(Path(path).read_bytes())
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]

    def remember_hash(self, path: str, digest: str) -> None:
        self._hashes[os.path.abspath(path)] = digest

    # ----------------------------------------------------------------- entries
    def _index(self) -> dict[str, dict]:
        if self._entries is None:
            try:
                data = json.loads(self.index_path.read_text(encoding="utf-8"))
                self._entries = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self._entries = {}
        return self._entries

    @staticmethod
    def _key(path: str, display: str) -> str:
        # Diagnostics carry the path as the user named it: another spelling is another entry.
        return f"{os.path.abspath(path)}\0{display}"

    def get(self, path: str, display: str, digest: str) -> list[Diagnostic] | None:
        entry = self._index().get(self._key(path, display))
        if not isinstance(entry, dict) or entry.get("hash") != digest:
            return None
        for dependency, dependency_hash in entry.get("dependencies", {}).items():
            if self.file_hash(dependency) != dependency_hash:
                return None
        try:
            return [_diagnostic_from(item) for item in entry["diagnostics"]]
        except (KeyError, TypeError, ValueError):
            return None

    def put(
        self,
        path: str,
        display: str,
        digest: str,
        dependencies: list[str],
        diagnostics: list[Diagnostic],
    ) -> None:
        key = self._key(path, display)
        path = os.path.abspath(path)
        self._index()[key] = {
            "hash": digest,
            "dependencies": {
                os.path.abspath(d): self.file_hash(d)
                for d in dependencies
                if os.path.abspath(d) != path
            },
            "diagnostics": [asdict(d) for d in diagnostics],
        }
        self._dirty = True

    def save(self) -> None:
        """Write the index atomically; a cache that cannot be written only costs speed."""
        if not self._dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            marker = self.folder / ".gitignore"
            if not marker.exists():
                marker.write_text("# Created by losslint.\n*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self._entries, stream)
            os.replace(temporary, self.index_path)
        except OSError:
            pass


def _diagnostic_from(data: dict) -> Diagnostic:
    fix = data.get("fix")
    if fix:
        fix = Fix(**{**fix, "edits": tuple(Edit(**edit) for edit in fix["edits"])})
    return Diagnostic(
        **{
            **data,
            "location": Location(**data["location"]),
            "related": tuple(Location(**r) for r in data.get("related", ())),
            "fix": fix,
        }
    )
