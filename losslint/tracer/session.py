"""``trace``: the context manager / decorator, and the tracer's process-wide state.

The loss entry points are patched once, when the outermost ``trace()`` is
entered, and restored when it exits (also on exceptions); nested and re-entrant
``trace()`` blocks only push and pop their options. Per-site budgets and the
findings already reported are process-wide, so a decorated function called every
epoch is checked on its first calls and warns once per site, not once per epoch.

This module does not import torch; ``intercept`` (which does) is imported on the
first ``__enter__``.
"""

from __future__ import annotations

import atexit
import sys
import threading
from contextlib import ContextDecorator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

DEFAULT_CHECKS_PER_SITE = 3


@dataclass
class SiteState:
    """One call site: how many of its calls were checked, which codes it reported.

    ``code`` is the site's code object, held so that the ``id`` it is keyed by
    stays unique while the state exists.
    """

    code: object = None
    checked: int = 0
    reported: set[str] = field(default_factory=set)
    watch: Any = None  # a watch.TargetWatch once the checked calls are spent, if any


@dataclass(frozen=True)
class Options:
    strict: bool
    checks_per_site: int
    summary: bool


class _State:
    """Everything the tracer remembers between loss calls."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.options: list[Options] = []  # innermost trace() last
        self.active = False  # patches installed: stale wrappers pass through when False
        self.strict = False
        self.checks_per_site = DEFAULT_CHECKS_PER_SITE
        self.sites: dict[object, SiteState] = {}  # (id(code), lasti) of the user's frame
        self.fast: dict[object, SiteState] = {}  # same key, of the frame a wrapper probes
        self.pinned: dict[int, object] = {}  # code objects whose ids are keys above
        self.summary_at_exit = False

    def push(self, options: Options) -> bool:
        """Enter a trace block; True when it is the outermost one."""
        with self.lock:
            self.options.append(options)
            self._apply()
            if options.summary:
                self.summary_at_exit = True
            return len(self.options) == 1

    def pop(self, options: Options) -> bool:
        """Leave a trace block; True when it was the outermost one."""
        with self.lock:
            # Remove this block's entry, not blindly the last one: threads may interleave.
            for index in range(len(self.options) - 1, -1, -1):
                if self.options[index] is options:
                    del self.options[index]
                    break
            self._apply()
            return not self.options

    def _apply(self) -> None:
        if self.options:
            self.strict = self.options[-1].strict
            self.checks_per_site = self.options[-1].checks_per_site

    def flush(self, strict: bool = False) -> None:
        """Judge what the sites' watches saw since their last fold (see ``watch.py``)."""
        for site in list(self.sites.values()):
            if site.watch is not None:
                site.watch.flush(strict)

    def reset_sites(self) -> None:
        """Forget budgets and reported codes: every site is checked afresh.

        What the watches saw is judged first (as warnings: the test or block that
        made those calls is over), so a late bad batch is never forgotten.
        """
        self.flush()
        self.sites.clear()
        self.fast.clear()
        self.pinned.clear()


STATE = _State()
_atexit_registered = False


def _summary_at_exit() -> None:
    if STATE.summary_at_exit:
        from losslint.tracer.report import REPORT

        REPORT.print_summary(sys.stderr)


class trace(ContextDecorator):  # lower-case: used like a function, as contextlib names are
    """Check every loss call on real tensors while the block (or function) runs.

    ``strict=True`` raises ``LossMisuseError`` at the first finding instead of
    warning. ``checks_per_site`` calls of each call site are checked; later ones
    pass straight through (on CUDA a checked call costs one device sync).
    ``summary=False`` skips the summary printed to stderr at interpreter exit.
    """

    def __init__(
        self,
        strict: bool = False,
        *,
        checks_per_site: int = DEFAULT_CHECKS_PER_SITE,
        summary: bool = True,
    ) -> None:
        self.options = Options(strict=strict, checks_per_site=checks_per_site, summary=summary)
        self._entered: list[Options] = []

    def __enter__(self) -> trace:
        global _atexit_registered
        from losslint.tracer import intercept

        # A fresh Options object per entry, so re-entering this same instance
        # (a recursive decorated function) pops exactly its own entry.
        options = Options(**vars(self.options))
        with STATE.lock:
            if STATE.push(options):
                try:
                    intercept.install()
                except BaseException:
                    STATE.pop(options)
                    raise
                STATE.active = True
            self._entered.append(options)
            if self.options.summary and not _atexit_registered:
                atexit.register(_summary_at_exit)
                _atexit_registered = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        from losslint.tracer import intercept

        with STATE.lock:
            options = self._entered.pop()
            outermost = STATE.pop(options)
            if outermost:
                STATE.active = False
                intercept.uninstall()
        if outermost:
            # The end of the run for the watches: strict raises here unless the
            # block is already leaving with an exception of its own.
            STATE.flush(strict=options.strict and exc_type is None)
