"""``losslint trace script.py [args]``: run a script as ``__main__``, traced.

The script runs the way ``python script.py args`` would run it: ``sys.argv`` is
``[script.py, *args]``, the script's folder is first on ``sys.path``, ``SystemExit``
gives the exit status, and an uncaught exception prints its traceback (from the
script's own frames down) and gives status 1. Findings warn as they happen; at
the end their summary goes to stderr in the static linter's flake8 format, and
the status becomes 1 if there were any.

A notebook (``.ipynb``) runs its code cells top to bottom in one ``__main__``
namespace, as "Run All" would; each cell is compiled under the name
``notebook.ipynb:cell N``, so findings and tracebacks name the cell as ``losslint
check`` does. IPython-only lines (``%magic``, ``!shell``, a ``%%bash`` cell) cannot
run outside IPython: they are skipped, and each one is named on stderr.

Under ``--strict`` the run stops at the first finding, which is printed once, in
the summary.

Also runnable as ``python -m losslint.tracer.script [--strict] script.py [args]``.
"""

from __future__ import annotations

import json
import linecache
import os
import runpy
import sys
import traceback
import types
from pathlib import Path
from types import TracebackType

from losslint.tracer.errors import LossMisuseError

USAGE = "usage: python -m losslint.tracer.script [--strict] SCRIPT [ARGS...]"
NO_TORCH = (
    "the runtime tracer needs torch (2.4 or later); "
    "install it with: pip install 'torch-losslint[runtime]'"
)


def torch_missing() -> bool:
    """Whether torch cannot be imported: the tracer then says so in one line, never
    with a traceback (the linter is installed without torch)."""
    try:
        import torch  # noqa: F401
    except ImportError as error:
        if (error.name or "").partition(".")[0] != "torch":
            raise
        return True
    return False


def _exit_status(code: object) -> int:
    """What the interpreter would exit with for ``SystemExit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _script_frames(tb: TracebackType | None, script: str) -> TracebackType | None:
    """The traceback from the script's first frame on, hiding runpy's and ours."""
    start = tb
    while start is not None and not _is_script(start.tb_frame.f_code.co_filename, script):
        start = start.tb_next
    return start or tb


def _is_script(filename: str, script: str) -> bool:
    return filename == script or filename.startswith(f"{script}:cell ")


class NotebookError(Exception):
    """A ``.ipynb`` file whose cells cannot be read; the command says why and exits 2."""


def notebook_cells(path: str) -> list[tuple[int, str, list[str]]]:
    """(cell number, its Python source, the IPython lines left out) of each code cell.

    Cells are numbered among all cells, as ``losslint check`` names them; a skipped
    line becomes ``pass`` at its indentation, so every other line keeps its number.
    """
    from losslint.ipython import source_lines
    from losslint.notebook import NotebookError as Unreadable
    from losslint.notebook import load_notebook

    data = Path(path).read_bytes()
    try:
        notebook = load_notebook(data)
        cells = json.loads(data.decode("utf-8-sig"))["cells"]
    except (Unreadable, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise NotebookError(f"{path}: not a notebook losslint can run: {error}") from error
    python_lines = notebook.code.split("\n")
    by_cell: dict[int, list[tuple[int, str]]] = {}
    for (number, line), text in zip(notebook.lines, python_lines, strict=False):
        by_cell.setdefault(number, []).append((line, text))
    result = []
    for number, lines in by_cell.items():
        source = cells[number - 1].get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        original = source_lines(source)
        skipped = [
            f"{path}:cell {number}:{line}: {original[line - 1].strip()}"
            for line, text in lines
            if line <= len(original) and text != original[line - 1]
        ]
        result.append((number, "\n".join(text for _, text in lines) + "\n", skipped))
    return result


def _run_notebook(path: str, cells: list[tuple[int, str, list[str]]]) -> None:
    """Run the cells in one ``__main__`` namespace, as "Run All" does."""
    module = types.ModuleType("__main__")
    module.__file__ = os.path.abspath(path)
    saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        for number, source, _ in cells:
            filename = f"{path}:cell {number}"
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            exec(compile(source, filename, "exec"), module.__dict__)
    finally:
        if saved_main is not None:
            sys.modules["__main__"] = saved_main


def run_script(path: str, argv: list[str], *, strict: bool = False) -> int:
    """Run ``path`` as ``__main__`` with ``argv`` under ``trace()``; returns the exit status.

    1 when the tracer reported findings during the run, otherwise the script's
    own status (0 when it ends normally).
    """
    from losslint.diagnostics import format_text
    from losslint.tracer.report import REPORT
    from losslint.tracer.session import trace

    cells = None
    if path.endswith(".ipynb"):
        try:
            cells = notebook_cells(path)
        except (NotebookError, OSError) as error:
            print(f"losslint: error: {error}", file=sys.stderr)
            return 2
        for _, _, skipped in cells:
            for line in skipped:
                print(f"losslint: note: IPython syntax not run: {line}", file=sys.stderr)
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [path, *argv]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    REPORT.take_unprinted()  # findings from before this run are not this run's
    status = 0
    try:
        with trace(strict=strict, summary=False):
            if cells is not None:
                _run_notebook(path, cells)
            else:
                # The path as given, like ``python path``: runpy sets ``sys.argv[0]`` to it.
                runpy.run_path(path, run_name="__main__")
    except SystemExit as exit_:
        status = _exit_status(exit_.code)
    except LossMisuseError as error:
        # The finding is in the report: the summary below prints it, once.
        if not any(str(error).startswith(format_text(d)) for d in REPORT.diagnostics()):
            print(f"losslint: {error}", file=sys.stderr)
        print("losslint: stopped at the first finding (--strict)", file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        print("KeyboardInterrupt", file=sys.stderr)
        status = 130
    except BaseException as error:  # noqa: BLE001 - report it the way Python would
        tb = _script_frames(error.__traceback__, path)
        traceback.print_exception(type(error), error, tb, file=sys.stderr)
        status = 1
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    sys.stdout.flush()
    found = REPORT.print_summary(sys.stderr)
    return 1 if found else status


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m losslint.tracer.script``."""
    args = sys.argv[1:] if argv is None else list(argv)
    strict = False
    if args and args[0] == "--strict":
        strict, args = True, args[1:]
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 0 if args else 2
    if torch_missing():
        print(f"losslint: error: {NO_TORCH}", file=sys.stderr)
        return 2
    return run_script(args[0], args[1:], strict=strict)


if __name__ == "__main__":
    sys.exit(main())
