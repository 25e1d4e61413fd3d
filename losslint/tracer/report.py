"""Turning findings into what the user sees: a warning now, a summary line at exit.

A finding is placed at its call site, worded with the observed loss next to the
corrected one (computed here, once per site and code, since the site's later
calls are not reported again), recorded for the summary, and then raised as
``LossMisuseError`` (strict) or warned as ``LossMisuseWarning`` at the user's
line. The summary lines are ``format_text`` of the same ``Diagnostic`` the static
linter prints, so both tools' output reads, sorts and greps the same.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any, TextIO

from losslint.diagnostics import Diagnostic, format_text
from losslint.tracer.checks import Finding
from losslint.tracer.errors import LossMisuseError, LossMisuseWarning
from losslint.tracer.session import SiteState
from losslint.tracer.sites import absolute_path, location, reached_from


class Report:
    """The findings of this process, deduplicated by position and code."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._diagnostics: dict[tuple[str, int, int, str], Diagnostic] = {}
        self._printed: set[tuple[str, int, int, str]] = set()

    def add(self, diagnostic: Diagnostic) -> None:
        loc = diagnostic.location
        with self._lock:
            self._diagnostics.setdefault(
                (loc.path, loc.line, loc.column, diagnostic.code), diagnostic
            )

    def diagnostics(self) -> list[Diagnostic]:
        with self._lock:
            return sorted(self._diagnostics.values(), key=Diagnostic.sort_key)

    def take_unprinted(self) -> list[Diagnostic]:
        """The findings not summarised yet, sorted; marks them summarised."""
        with self._lock:
            keys = sorted(
                (k for k in self._diagnostics if k not in self._printed),
                key=lambda k: self._diagnostics[k].sort_key(),
            )
            self._printed.update(keys)
            return [self._diagnostics[k] for k in keys]

    def print_summary(self, stream: TextIO | None = None) -> int:
        """Print the findings not summarised yet, one flake8 line each; returns how many."""
        stream = stream or sys.stderr
        pending = self.take_unprinted()
        for diagnostic in pending:
            print(format_text(diagnostic), file=stream)
        stream.flush()
        return len(pending)

    def clear(self) -> None:
        with self._lock:
            self._diagnostics.clear()
            self._printed.clear()


REPORT = Report()


def _number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    return f"{value:.2f}" if 0.01 <= abs(value) < 1e5 else f"{value:.3g}"


def _scalar(result: Any) -> tuple[float, bool] | None:
    """(mean value, whether it was already a scalar) of a loss result, or None."""
    try:
        import torch

        if isinstance(result, torch.Tensor) and result.numel() > 0:
            return float(result.detach().float().mean()), result.numel() == 1
    except Exception:  # a result the tracer cannot read is simply not quoted
        return None
    return None


def word(finding: Finding, result: Any, raised: bool) -> str:
    """The full message: the problem, the observed and the corrected loss, the advice."""
    values: list[str] = []
    if raised:
        values.append("torch raised an error on this call")
    else:
        observed = _scalar(result)
        if observed is not None:
            value, single = observed
            text = f"loss {_number(value)}" if single else f"mean loss {_number(value)}"
            values.append(f"{text} {finding.observed_as}".rstrip())
    if finding.corrected is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch's own warnings belong to the user's call
                corrected = _scalar(finding.corrected())
        except Exception:  # an input too odd to recompute: say less, never fail the call
            corrected = None
        if corrected is not None:
            values.append(f"{_number(corrected[0])} {finding.corrected_as}")
    if finding.note:
        values.append(finding.note)
    if values:
        return f"{finding.what}: {'; '.join(values)}; {finding.advice}"
    return f"{finding.what}; {finding.advice}"


def emit(
    findings: Sequence[Finding],
    frame: FrameType,
    site: SiteState,
    result: Any,
    *,
    raised: bool,
    strict: bool,
) -> None:
    """Report the findings of one call at ``frame``, skipping codes the site reported."""
    fresh = [f for f in findings if f.code not in site.reported]
    if not fresh:
        return
    where = location(frame)
    origin = reached_from(frame)
    related = (origin,) if origin is not None else ()
    diagnostics = []
    for finding in fresh:
        site.reported.add(finding.code)
        message = word(finding, result, raised)
        if origin is not None:
            message += f" (reached from {origin.short()})"
        diagnostic = Diagnostic(finding.code, message, where, related)
        REPORT.add(diagnostic)
        diagnostics.append(diagnostic)
    filename = absolute_path(frame.f_code.co_filename)
    for diagnostic in diagnostics:
        loc = diagnostic.location
        if strict:
            raise LossMisuseError(
                diagnostic.message, diagnostic.code, loc.path, loc.line, loc.column
            )
        warnings.warn_explicit(
            LossMisuseWarning(diagnostic.message, diagnostic.code, loc.path, loc.line, loc.column),
            LossMisuseWarning,
            filename,
            loc.line,
            module=frame.f_globals.get("__name__"),
        )


def later(frame: FrameType, site: SiteState) -> Callable[[Finding, bool], None]:
    """A reporter for findings of the site at ``frame`` made after that frame is gone.

    Late findings come from ``watch.py`` (a target out of range in a call after the
    checked ones), judged at a fold or at the end of the run. They are placed and
    worded like ``emit``'s, with the position worked out now, while the frame
    exists (once per site).
    """
    where = location(frame)
    origin = reached_from(frame)
    related = (origin,) if origin is not None else ()
    filename = absolute_path(frame.f_code.co_filename)
    module = frame.f_globals.get("__name__")

    def report(finding: Finding, strict: bool) -> None:
        if finding.code in site.reported:
            return
        site.reported.add(finding.code)
        message = word(finding, None, False)
        if origin is not None:
            message += f" (reached from {origin.short()})"
        REPORT.add(Diagnostic(finding.code, message, where, related))
        if strict:
            raise LossMisuseError(message, finding.code, where.path, where.line, where.column)
        warnings.warn_explicit(
            LossMisuseWarning(message, finding.code, where.path, where.line, where.column),
            LossMisuseWarning,
            filename,
            where.line,
            module=module,
        )

    return report
