"""Checking many files: the cache first, then the rest in parallel, one worker a core.

A warm run reads the cache index and hashes the files; when nothing changed it
never imports the analysis (LibCST alone costs a third of a second to import).
Files the cache cannot answer are linted in worker processes, each with its own
:class:`~losslint.analysis.project.Project` over the same files, so cross-file summaries are
computed where they are needed.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from losslint.cache import Cache, content_hash
from losslint.diagnostics import Diagnostic, Location, one_per_place
from losslint.progress import Progress
from losslint.selection import Selection


@dataclass(frozen=True)
class Job:
    """One file to check: where to read it, how to name it, and its bytes if known."""

    path: Path | None  # None for stdin
    display: str
    data: bytes | None = None


@dataclass
class Outcome:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # internal errors, one line each
    sources: dict[str, bytes] = field(default_factory=dict)  # what was read, by display


def check_jobs(
    jobs: list[Job],
    selection: Selection,
    workers: int | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> Outcome:
    outcome = Outcome()
    progress = progress or Progress(len(jobs), enabled=False)
    progress.phase("reading")
    pending: list[tuple[Job, bytes, str | None]] = []
    for job in jobs:
        data = job.data
        if data is None:
            try:
                data = job.path.read_bytes()
            except OSError as error:
                outcome.diagnostics.extend(_unreadable(job, selection, error))
                continue
        outcome.sources[job.display] = data
        digest = None
        if cache is not None and job.path is not None:
            digest = content_hash(data)
            cache.remember_hash(str(job.path), digest)
            cached = cache.get(str(job.path), job.display, digest)
            if cached is not None:
                outcome.diagnostics.extend(cached)
                progress.advance()
                continue
        pending.append((job, data, digest))
    if pending:
        progress.phase("checking")
        roots = [job.path if job.path is not None else Path(job.display) for job in jobs]
        items = [(job.path, job.display, data) for job, data, _ in pending]
        results = _lint_all(items, roots, selection, workers, progress)
        for (job, _, digest), (diagnostics, dependencies, error) in zip(
            pending, results, strict=True
        ):
            if error is not None:
                outcome.errors.append(f"internal error on {job.display}: {error}")
                continue
            outcome.diagnostics.extend(diagnostics)
            if cache is not None and digest is not None:
                cache.put(str(job.path), job.display, digest, dependencies, diagnostics)
    progress.close()
    if cache is not None:
        cache.save()
    # A finding inside a shared function can be found from several files that call it.
    outcome.diagnostics = one_per_place(outcome.diagnostics)
    return outcome


# ---------------------------------------------------------------- workers
_WORKER: dict = {}


def _start_worker(roots: list[Path], selection: Selection) -> None:
    from losslint.analysis.project import Project

    _WORKER["project"] = Project(roots)
    _WORKER["selection"] = selection


def _lint_one(item: tuple[Path | None, str, bytes]):
    """(diagnostics, files the analysis read, error or None) for one file."""
    from losslint.linter import lint_bytes

    path, display, data = item
    project = _WORKER["project"]
    project.files_read.clear()
    try:
        diagnostics = lint_bytes(data, display, _WORKER["selection"], project)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the run
        return [], [], repr(error)
    return diagnostics, sorted(project.files_read), None


def _lint_all(items, roots: list[Path], selection: Selection, workers: int | None, progress):
    workers = workers or os.cpu_count() or 1
    workers = max(1, min(workers, len(items)))
    results = []
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        _start_worker(roots, selection)
        for item in items:
            results.append(_lint_one(item))
            progress.advance()
        return results
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(roots, selection)) as pool:
        for result in pool.imap(_lint_one, items, chunksize=1):
            results.append(result)
            progress.advance()
    return results


def _unreadable(job: Job, selection: Selection, error: OSError) -> list[Diagnostic]:
    if not selection.enabled("LL000", job.display):
        return []
    reason = error.strerror or type(error).__name__
    return [Diagnostic("LL000", f"cannot read: {reason}", Location(job.display, 1, 1))]
