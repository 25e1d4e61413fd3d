"""Progress of a long run on the terminal: files done out of total, and the phase.

A check that ends within about two seconds shows nothing; one that lasts longer shows
click's progress bar on stderr, where it never mixes with findings on stdout. Nothing
is shown on a pipe or in a file, in CI (``CI`` set, as every CI service sets it), on a
``dumb`` terminal, or with ``--quiet``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

import click

DELAY = 2.0  # seconds before the bar appears


def wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    """Whether a run may show progress at all."""
    stream = stream or sys.stderr
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """Counts files done in phases (``reading``, ``checking``); draws once ``DELAY`` has
    passed since the run began, and erases itself when closed."""

    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.done = 0
        self.label = ""
        self._bar = None

    def phase(self, label: str) -> None:
        self.label = label
        if self._bar is not None:
            self._bar.label = label
            self._bar.render_progress()

    def advance(self, files: int = 1) -> None:
        self.done += files
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < DELAY:
                return
            self._bar = click.progressbar(
                length=self.total,
                label=self.label,
                file=self.stream,
                show_pos=True,
                show_eta=False,
                width=24,
            )
            self._bar.__enter__()
            self._bar.update(self.done)
            return
        self._bar.update(files)

    def close(self) -> None:
        if self._bar is None:
            return
        # Erase the bar and show the cursor it hid: what follows is the findings.
        self.stream.write("\r\x1b[K\x1b[?25h")
        self.stream.flush()
        self._bar = None
