"""The scanned project: which file is which module, and what each module binds.

A loss call in ``train.py`` may eat a model defined in ``models/net.py``. The
project maps dotted module names to files (packages by their ``__init__.py``
chain, scripts by their folder — as Python's import system would find them when
the project runs) and computes, per module, its *summary*: the environment its
top-level statements leave (classes, functions, module-level objects). Summaries
are computed on demand and once per run, so a model file that no loss file
imports is never parsed.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import libcst as cst

from losslint.analysis.program import SourceFile
from losslint.analysis.values import Constant, ImportRef, TupleValue, Value
from losslint.codefacts import CodeFacts

# Where a module's environment keeps its `from m import *` imports, in order (a key no
# identifier can be): the names they bring are looked up only when used.
STAR_IMPORTS = "*"

# How many `import *` a name is followed through (a package re-exporting its modules),
# and from how many star imports of one module.
MAX_STAR_HOPS = 3
MAX_STAR_MODULES = 8

# Computes a module's top-level names from its parsed file and bytes.
Summarizer = Callable[[SourceFile, bytes], dict[str, Value]]

# An import statement on one line (also inside a notebook's JSON, after its quote).
_IMPORT = re.compile(
    rb'^[ \t]*"?(?:from[ \t]+(?P<module>\.*[\w.]*)[ \t]+import[ \t(]+(?P<names>[\w., \t]+|\*)'
    rb"|import[ \t]+(?P<modules>[\w., \t]+))",
    re.MULTILINE,
)


class Project:
    def __init__(self, files: Iterable[Path] = ()) -> None:
        self._roots: list[Path] = []
        self._files: dict[tuple[str, Path | None], Path | None] = {}
        self._near: dict[Path, tuple[Path, Path | None]] = {}
        self._listings: dict[str, frozenset[str]] = {}
        # How the run names its files, so that a finding in an imported file reads the
        # same as one found when linting that file itself.
        self._names: dict[Path, str] = {}
        for file in files:
            self.add_root_for(file)
            self._names.setdefault(real_path(file), str(file))
        self._summaries: dict[Path, dict[str, Value] | None] = {}
        self._sources: dict[Path, SourceFile | None] = {}
        self._globals: dict[SourceFile, dict[str, Value]] = {}
        self._bytes: dict[Path, bytes] = {}
        self._mentions: dict[tuple[Path, tuple[bytes, ...]], bool] = {}
        self._stamps: dict[Path, tuple[int, int] | None] = {}  # what each file was when read
        self._unreadable: set[Path] = set()
        # Every project file an analysis looked at, for the cache's dependencies.
        self.files_read: set[str] = set()

    # ------------------------------------------------------------ modules
    def add_root_for(self, file: Path) -> None:
        """Remember the folders from which ``file``'s imports are resolved: its own
        package root, and the top of its project with its ``src/`` (an installed
        project imports its packages from there)."""
        candidates = [package_root(file)]
        top = project_top(file)
        if top is not None:
            candidates += [top, top / "src"]
        for root in candidates:
            if root not in self._roots and root.is_dir():
                self._roots.append(root)
                self._files.clear()

    def module_name(self, file: Path) -> tuple[str, bool] | None:
        """(dotted name, is a package) of ``file`` as its project would import it."""
        file = real_path(file)
        root = package_root(file)
        parts = list(file.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        if not parts:
            return None
        return ".".join(parts), is_package

    def module_file(self, name: str, near: Path | None = None) -> Path | None:
        """The file of module ``name`` as the file ``near`` would import it: its own
        package root first (two scripts' folders may each have a ``model.py``)."""
        first, folder = self._folders(near) if near is not None else (None, None)
        if folder is not None and name.split(".", 1)[0] in _STDLIB:
            folder = None
        key = (name, folder or first)
        if key not in self._files:
            self._files[key] = self._find_module(name, first, folder)
        return self._files[key]

    def _folders(self, near: Path) -> tuple[Path, Path | None]:
        """The package root of ``near``, and its own folder when that is a package's."""
        if near not in self._near:
            self._near[near] = (package_root(near), script_folder(near))
        return self._near[near]

    def _find_module(
        self, name: str, first: Path | None, folder: Path | None = None
    ) -> Path | None:
        relative = name.replace(".", os.sep)
        roots = self._roots if first is None else [first, *self._roots]
        if folder is not None:
            roots = [folder, *roots]
        for root in roots:
            base = os.path.join(root, relative)
            if "__init__.py" in self._files_in(base):
                return Path(base, "__init__.py")
            parent, leaf = os.path.split(base)
            if f"{leaf}.py" in self._files_in(parent):
                return Path(f"{base}.py")
        return None

    def _files_in(self, folder: str) -> frozenset[str]:
        """The names of the files in ``folder``, listed once per run: resolving the
        imports of every file scanned asks about the same few folders thousands of times
        (a folder's listing is one system call; a path's check is one per path)."""
        if folder not in self._listings:
            try:
                with os.scandir(folder) as entries:
                    names = frozenset(entry.name for entry in entries if entry.is_file())
            except OSError:
                names = frozenset()
            self._listings[folder] = names
        return self._listings[folder]

    def imports_mention(self, file: Path, data: bytes, patterns: Iterable[bytes]) -> bool:
        """Whether a project module that ``file`` (whose bytes are ``data``) imports
        contains one of ``patterns``.

        A file that names no loss can still make a finding in another file: its calls
        bind the model and criterion that file's loss is called with (``main.py``
        doing ``Trainer(Net()).fit(loader)``). Only the modules it imports directly
        count (``from pkg import engine`` counts ``pkg/__init__.py`` and
        ``pkg/engine.py``): following imports further would make nearly every file of a
        model zoo a candidate, since they all import some package that re-exports a
        loss helper. Read from the bytes, and from CPython's syntax tree where the bytes
        mention one (a docstring's example is no code), never parsed by LibCST.
        """
        patterns = tuple(patterns)
        for imported in set(self._imported_files(real_path(file), data)):
            self.files_read.add(str(imported))
            key = (imported, patterns)
            if key not in self._mentions:
                self._mentions[key] = _code_mentions(self._read(imported), patterns)
            if self._mentions[key]:
                return True
        return False

    def _read(self, file: Path) -> bytes:
        """A project file's bytes, read once per run (empty when it cannot be read)."""
        if file not in self._bytes:
            self._stamps[file] = _stamp(file)
            try:
                self._bytes[file] = file.read_bytes()
            except OSError:
                self._bytes[file] = b""
                self._unreadable.add(file)
        return self._bytes[file]

    def unchanged(self) -> bool:
        """Whether every file this project has read is still as it was then: a language
        server keeps one project across re-checks of an edited document while it is."""
        return all(_stamp(file) == stamp for file, stamp in self._stamps.items())

    def _imported_files(self, file: Path, data: bytes) -> list[Path]:
        """The project files an import statement of ``data`` names (modules, and
        submodules named in ``from package import module``)."""
        named = self.module_name(file) if file.suffix == ".py" else None
        found = []
        for match in _IMPORT.finditer(data):
            if match.group("modules") is not None:
                modules = [m.split()[0] for m in _names(match.group("modules"))]
            else:
                base = match.group("module").decode()
                if base.startswith("."):
                    if named is None:
                        continue
                    base = absolute_module(base, *named) or ""
                names = [n.split()[0] for n in _names(match.group("names"))]
                modules = [base] + [f"{base}.{n}" for n in names if base and n != "*"]
            for module in modules:
                if module == "torch" or module.startswith("torch."):
                    continue  # torch's API, never the project's code (even inside torch)
                path = self.module_file(module, file) if module else None
                if path is not None:
                    found.append(real_path(path))
        return found

    # ---------------------------------------------------------- summaries
    def source(self, file: Path) -> SourceFile | None:
        file = real_path(file)
        if file not in self._sources:
            try:
                data = self._read(file)
                module = None if file in self._unreadable else cst.parse_module(data)
            except (OSError, cst.ParserSyntaxError, UnicodeDecodeError, LookupError, SyntaxError):
                module = None
            except RecursionError:
                module = None
            name = self._names.get(file) or display_path(file)
            self._sources[file] = SourceFile(name, module) if module else None
        return self._sources[file]

    def summary(
        self, name: str, summarize: Summarizer, near: Path | None = None
    ) -> dict[str, Value] | None:
        """What module ``name`` binds at top level; None when it is not in the project.

        ``summarize`` computes it from the parsed file (the interpreter, passed in so
        that the project model does not depend on it)."""
        file = self.module_file(name, near)
        if file is None:
            return None
        self.files_read.add(str(file))
        if file in self._summaries:
            return self._summaries[file]
        source = self.source(file)
        if source is None:
            self._summaries[file] = None
            return None
        self._summaries[file] = {}  # an import cycle sees an empty module
        try:
            summary = summarize(source, self._read(file))
        except RecursionError:
            summary = {}
        self._summaries[file] = summary
        self._globals[source] = summary
        return summary

    def globals_of(self, source: SourceFile) -> dict[str, Value] | None:
        """The top-level names of a summarised module, by its parsed file: what its
        functions see as globals when another file's analysis follows a call into them."""
        return self._globals.get(source)

    def _may_bind(self, module: str, name: str, near: Path | None) -> bool:
        """Whether a module's text mentions ``name`` at all, or star-imports: read from
        its bytes, so that a star import of a large package does not summarise every
        module it pulls in to look for one name."""
        file = self.module_file(module, near)
        if file is None:
            return False
        data = self._read(real_path(file))
        return name.encode() in data or b"import *" in data

    def resolve(
        self, qualname: str, summarize: Summarizer, near: Path | None = None, hops: int = 0
    ) -> Value | None:
        """The value an imported dotted name holds, when the project defines it, as the
        file ``near`` imports it."""
        if qualname == "torch" or qualname.startswith("torch."):
            return None  # torch's own names mean what torchapi says, even when scanning torch
        parts = qualname.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            summary = self.summary(module, summarize, near)
            if summary is None:
                continue
            rest = parts[cut:]
            if not rest:
                return Value.of(ImportRef(module))
            if len(rest) == 1 and rest[0] in summary:
                return summary[rest[0]]
            if len(rest) == 1 and hops < MAX_STAR_HOPS:
                origin = star_origin(summary, rest[0], self, summarize, near)
                if origin is not None:
                    return self.resolve(f"{origin}.{rest[0]}", summarize, near, hops + 1)
            return None
        return None

    def exports(
        self,
        module: str,
        name: str,
        summarize: Summarizer,
        near: Path | None = None,
        seen: frozenset[str] = frozenset(),
    ) -> bool:
        """Whether ``from module import *`` binds ``name``: listed in ``__all__`` when the
        module has one it spells out, else any public name it binds (its own star imports
        included)."""
        if module in seen or not self._may_bind(module, name, near):
            return False
        summary = self.summary(module, summarize, near)
        if summary is None:
            return False
        listed = summary.get("__all__")
        if listed is not None:
            names = spelled_out(listed)
            if names is not None:
                return name in names
        if name.startswith("_"):
            return False
        if name in summary:
            return True
        return star_origin(summary, name, self, summarize, near, seen | {module}) is not None


def _code_mentions(data: bytes, patterns: tuple[bytes, ...]) -> bool:
    """Whether a module's code (not its comments and docstrings) contains one of
    ``patterns``; a module CPython cannot parse is taken at its bytes' word."""
    if not any(pattern in data for pattern in patterns):
        return False
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return CodeFacts(tree).mentions(patterns)


def _stamp(file: Path) -> tuple[int, int] | None:
    """A file's modification time and size, None when it is gone."""
    try:
        status = file.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def star_modules(env: dict[str, Value]) -> list[str]:
    """The modules an environment star-imported, the latest first (it wins)."""
    found: list[str] = []
    for atom in env.get(STAR_IMPORTS, Value()):
        if isinstance(atom, TupleValue):
            for item in reversed(atom.items):
                found += [a.qualname for a in item if isinstance(a, ImportRef)]
    return list(dict.fromkeys(found))


def star_origin(
    env: dict[str, Value],
    name: str,
    project: Project,
    summarize: Summarizer,
    near: Path | None = None,
    seen: frozenset[str] = frozenset(),
) -> str | None:
    """The module of the latest ``import *`` in ``env`` that binds ``name``.

    A model zoo's package star-imports every model it has (transformers' ``models``
    hundreds of them): there, as beyond a few hops, the name stays unknown."""
    modules = star_modules(env)
    if len(modules) > MAX_STAR_MODULES or len(seen) >= MAX_STAR_HOPS:
        return None
    for module in modules:
        if project.exports(module, name, summarize, near, seen):
            return module
    return None


def spelled_out(value: Value) -> set[str] | None:
    """The names of an ``__all__`` written as a list or tuple of strings, else None."""
    tuples = value.all(TupleValue)
    if len(tuples) != 1:
        return None
    names = set()
    for item in tuples[0].items:
        constants = item.all(Constant)
        if len(constants) != 1 or not isinstance(constants[0].value, str):
            return None
        names.add(constants[0].value)
    return names


def real_path(path: Path) -> Path:
    """``path`` made absolute with symlinks followed; a symlink loop stays as it is
    (``Path.resolve`` raises on one, and a loop is a file that cannot be read)."""
    return _followed(os.path.abspath(path))


@functools.lru_cache(maxsize=1 << 16)
def _followed(absolute: str) -> Path:
    """Remembered: following a path's links costs a system call per folder in it, and
    the same few paths are asked about for every import of every file."""
    return Path(os.path.realpath(absolute))


def _names(listed: bytes) -> list[str]:
    """The names of an import list (``a as b, c``), without blanks or parentheses."""
    text = listed.decode("utf-8", "replace").replace("(", " ").replace(")", " ")
    return [part for part in text.replace("\\", " ").split(",") if part.strip()]


def display_path(file: Path) -> str:
    """``file`` as messages show it: relative to the working folder when below it."""
    try:
        return str(file.relative_to(Path.cwd()))
    except ValueError:
        return str(file)


_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def project_top(file: Path) -> Path | None:
    """The nearest folder above ``file`` that looks like a project's top."""
    for folder in real_path(file).parents:
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    return None


def script_folder(file: Path) -> Path | None:
    """The folder of ``file`` when it is a package's folder, for a bare ``import``.

    Run as a script (``python pkg/run.py``), a file inside a package imports its
    siblings by bare name: Python puts the script's folder first on ``sys.path``. A
    standard library module keeps its name (a package's ``logging.py`` does not shadow
    ``import logging`` in its siblings, which are imported as modules)."""
    folder = real_path(file).parent
    if not (folder / "__init__.py").is_file():
        return None  # its folder is already its package root
    return folder


_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))


def package_root(file: Path) -> Path:
    """The folder on ``sys.path`` for ``file``: above its outermost ``__init__.py`` chain."""
    folder = real_path(file).parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def absolute_module(relative: str, current: str, is_package: bool) -> str | None:
    """``..models.net`` imported from ``pkg.train.loop`` → ``pkg.models.net``."""
    level = len(relative) - len(relative.lstrip("."))
    rest = relative[level:]
    parts = current.split(".") if is_package else current.split(".")[:-1]
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, rest] if rest else base) or None
