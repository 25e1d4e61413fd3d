"""losslint's settings: ``losslint.toml``, or ``[tool.losslint]`` in ``pyproject.toml``.

The nearest folder (from the first path checked, upwards) holding either file gives
the settings, ``losslint.toml`` first, as ruff does with ``ruff.toml``. ``--config
FILE`` reads that file whatever its name: top-level keys, or ``[tool.losslint]``
when it is a ``pyproject.toml`` (or holds that table).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from losslint.selection import Selection, valid_prefix

KNOWN_KEYS = frozenset(
    {
        "select",
        "ignore",
        "extend-select",
        "exclude",
        "extend-exclude",
        "force-exclude",
        "per-file-ignores",
    }
)
CONFIG_FILES = ("losslint.toml", "pyproject.toml")  # in one folder, the first one found wins


class ConfigError(Exception):
    """A configuration that cannot be used; the CLI prints it and exits 2."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def excludes(self) -> tuple[str, ...]:
        """Every exclude glob: ``exclude`` and ``extend-exclude``."""
        return self.exclude + self.extend_exclude


def find_config(start: Path) -> Path | None:
    """The nearest ``losslint.toml`` or ``pyproject.toml`` at or above ``start``."""
    start = Path(os.path.realpath(start))
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file():
                return path
    return None


def load_config(start: Path, explicit: bool = False) -> Config:
    """The settings for ``start``; with ``explicit``, ``start`` is the file to read."""
    if explicit:
        if not start.is_file():
            raise ConfigError(f"--config {start}: no such file")
        path = start
    else:
        path = find_config(start)
        if path is None:
            return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from error
    tool = data.get("tool")
    if path.name == "pyproject.toml" or (isinstance(tool, dict) and "losslint" in tool):
        table, where = data.get("tool", {}).get("losslint", {}), "[tool.losslint]"
    else:
        table, where = data, path.name
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.losslint] must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in {where}: {', '.join(unknown)}")
    force_exclude = table.get("force-exclude", False)
    if not isinstance(force_exclude, bool):
        raise ConfigError(f"{path}: force-exclude must be true or false")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: per-file-ignores must be a table of glob = [codes]")
    select = table.get("select")
    return Config(
        path=path,
        select=_codes(path, "select", select) if select is not None else None,
        ignore=_codes(path, "ignore", table.get("ignore", [])),
        extend_select=_codes(path, "extend-select", table.get("extend-select", [])),
        exclude=_strings(path, "exclude", table.get("exclude", [])),
        extend_exclude=_strings(path, "extend-exclude", table.get("extend-exclude", [])),
        force_exclude=force_exclude,
        per_file_ignores=tuple(
            (pattern, _codes(path, f"per-file-ignores.{pattern}", codes))
            for pattern, codes in per_file.items()
        ),
    )


def selection_from(
    config: Config,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...] | None,
    extend_select: tuple[str, ...] | None,
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None,
) -> Selection:
    """Settings from the CLI win over the config file, key by key."""
    return Selection(
        select=select or config.select or ("LL",),
        ignore=ignore if ignore is not None else config.ignore,
        extend_select=extend_select if extend_select is not None else config.extend_select,
        per_file_ignores=per_file_ignores
        if per_file_ignores is not None
        else config.per_file_ignores,
    )


def check_prefixes(prefixes: tuple[str, ...], where: str) -> tuple[str, ...]:
    bad = [p for p in prefixes if not valid_prefix(p)]
    if bad:
        raise ConfigError(f"{where}: unknown rule code or prefix: {', '.join(bad)}")
    return tuple(p.strip().upper() for p in prefixes)


def _strings(path: Path, key: str, value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return tuple(value)


def _codes(path: Path, key: str, value) -> tuple[str, ...]:
    return check_prefixes(_strings(path, key, value), f"{path}: {key}")
