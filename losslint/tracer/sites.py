"""Where a loss call is, from the user's point of view.

A loss call is reached through torch's own frames (``Module.__call__``) and the
tracer's wrappers; the user's line is the first frame outside torch and losslint.
That frame's code object and instruction offset identify the call site cheaply
(no line-table decoding; ``intercept`` keys its per-site budget on them); the
file/line/column are worked out only when a finding is reported there.
"""

from __future__ import annotations

import dis
import itertools
import os
import sysconfig
from types import FrameType

import torch

import losslint
from losslint.diagnostics import Location

_INTERNAL_PREFIXES = tuple(
    os.path.dirname(os.path.abspath(module.__file__ or "")) + os.sep for module in (torch, losslint)
)
_LIBRARY_PREFIXES = tuple(
    {
        os.path.abspath(path) + os.sep
        for name in ("stdlib", "platstdlib", "purelib", "platlib")
        if (path := sysconfig.get_paths().get(name))
    }
)
_START_DIR = os.getcwd()  # relative code filenames are relative to where tracing began

internal_files: dict[str, bool] = {}  # filename -> is_internal, filled as files are seen


def _absolute(filename: str) -> str:
    if filename.startswith("<") or os.path.isabs(filename):
        return filename
    return os.path.normpath(os.path.join(_START_DIR, filename))


def is_internal(filename: str) -> bool:
    """True for a file of torch or losslint (cached: this runs on every loss call)."""
    internal = internal_files.get(filename)
    if internal is None:
        internal = internal_files[filename] = _absolute(filename).startswith(_INTERNAL_PREFIXES)
    return internal


def is_library(filename: str) -> bool:
    """True for installed third-party or standard-library code (a trainer, runpy)."""
    path = _absolute(filename)
    if path.startswith("<"):
        return path.startswith("<frozen")
    parts = path.split(os.sep)
    return (
        path.startswith(_LIBRARY_PREFIXES) or "site-packages" in parts or "dist-packages" in parts
    )


def user_frame(frame: FrameType | None) -> FrameType | None:
    """The first frame, walking outwards from ``frame``, outside torch and losslint."""
    while frame is not None and is_internal(frame.f_code.co_filename):
        frame = frame.f_back
    return frame


def display_path(filename: str) -> str:
    """The path as the static linter prints it: relative to the start dir when inside it."""
    path = _absolute(filename)
    if path.startswith(_START_DIR + os.sep):
        return os.path.relpath(path, _START_DIR)
    return path


def absolute_path(filename: str) -> str:
    return _absolute(filename)


def _position(frame: FrameType) -> tuple[int, int]:
    """1-based line and column of the call being made in ``frame``."""
    line = frame.f_lineno or 1
    column = 1
    positions = getattr(frame.f_code, "co_positions", None)  # Python >= 3.11
    if positions is not None and frame.f_lasti >= 0:
        start_line, _, start_col, _ = next(
            itertools.islice(positions(), frame.f_lasti // 2, None), (None, None, None, None)
        )
        if start_line is not None:
            line = start_line
        if start_col is not None:
            column = start_col + 1
    return line, column


def location(frame: FrameType) -> Location:
    """The ``Location`` of the call being made in ``frame``."""
    line, column = _position(frame)
    return Location(display_path(frame.f_code.co_filename), line, column)


def reached_from(frame: FrameType) -> Location | None:
    """For a site inside an installed library, the user's frame that led there."""
    if not is_library(frame.f_code.co_filename):
        return None
    outer = frame.f_back
    while outer is not None:
        filename = outer.f_code.co_filename
        if not is_internal(filename) and not is_library(filename):
            line, column = _position(outer)
            return Location(display_path(filename), line, column, note="reached from here")
        outer = outer.f_back
    return None


def result_negated(frame: FrameType) -> bool:
    """True when the call being made in ``frame`` is immediately negated: ``-f(...)``.

    Read from the caller's bytecode (the instruction after the call), only when a
    finding may depend on it, never on the hot path.
    """
    lasti = frame.f_lasti
    for instruction in dis.get_instructions(frame.f_code):
        if instruction.offset > lasti:
            return instruction.opname == "UNARY_NEGATIVE"
    return False
