"""The ``losslint`` command line: a thin front end over the linter and the tracer."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from losslint import __version__, formats
from losslint.cache import CACHE_FOLDER, Cache
from losslint.catalog import BY_CODE, RULES, rule_page
from losslint.config import ConfigError, check_prefixes, load_config, selection_from
from losslint.diagnostics import Diagnostic, applicable, one_per_place
from losslint.discovery import discover, is_excluded_named
from losslint.progress import Progress
from losslint.progress import wanted as progress_wanted
from losslint.runner import Job, check_jobs
from losslint.summary import count_line, fixes_list

if TYPE_CHECKING:
    from losslint.fixes.run import FixRun

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """``--select LL001,LL002 --select LL3`` -> ("LL001", "LL002", "LL3"); None if unset."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _per_file_ignores(values: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    if not values:
        return None
    result = []
    for value in values:
        pattern, _, codes = value.partition(":")
        if not codes:
            raise ConfigError(f"--per-file-ignores expects GLOB:CODES, got {value!r}")
        result.append((pattern, check_prefixes(tuple(codes.split(",")), "--per-file-ignores")))
    return tuple(result)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="losslint")
def main() -> None:
    """Catch loss-function misuse in PyTorch code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--select", multiple=True, help="Codes or prefixes to report (default: all).")
@click.option("--ignore", multiple=True, help="Codes or prefixes not to report.")
@click.option("--extend-select", multiple=True, help="Codes or prefixes added to --select.")
@click.option(
    "--exclude", multiple=True, help="Glob of files or folders to skip (replaces the config's)."
)
@click.option(
    "--extend-exclude", multiple=True, help="Glob of files or folders to skip, added to exclude."
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply the excludes to files named on the command line too (as pre-commit names them).",
)
@click.option("--per-file-ignores", multiple=True, help="GLOB:CODES, codes ignored in matches.")
@click.option("--stdin-filename", help="The name of the file read from stdin (path '-').")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--quiet", "-q", is_flag=True, help="Print the findings only: no count line, no warnings."
)
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add `# noqa: LLxxx` to every line with a finding (to adopt losslint on old code).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read settings from this file (losslint.toml form, or a pyproject.toml).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(formats.FORMAT_NAMES),
    default="text",
    show_default=True,
    help="Output format: flake8 lines, JSON, SARIF 2.1.0, GitHub annotations, or by file.",
)
@click.option(
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the output to this file instead of standard output.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print the number of findings per code instead of the findings (JSON with --format json).",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what is left.")
@click.option(
    "--unsafe-fixes", is_flag=True, help="Also apply (with --fix or --diff) the unsafe fixes."
)
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; write nothing.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied (or applicable).")
@click.option(
    "--jobs",
    "-j",
    "workers",
    type=click.IntRange(min=1),
    help="Worker processes for the files the cache cannot answer (default: one per core).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help=f"Where to keep the cache (default: {CACHE_FOLDER} beside pyproject.toml).",
)
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool | None,
    per_file_ignores: tuple[str, ...],
    stdin_filename: str | None,
    exit_zero: bool,
    quiet: bool,
    add_noqa: bool,
    config_path: Path | None,
    output_format: str,
    output_file: Path | None,
    statistics: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
    workers: int | None,
    no_cache: bool,
    cache_dir: Path | None,
) -> None:
    """Check PATHS (files, folders, or - for stdin) for loss-function misuse."""
    paths = paths or (Path("."),)
    try:
        start = config_path or (
            Path(stdin_filename) if stdin_filename and paths == (Path("-"),) else paths[0]
        )
        if config_path is not None:
            config = load_config(config_path, explicit=True)
        else:
            config = load_config(start if str(start) != "-" else Path("."))
        selection = selection_from(
            config,
            check_prefixes(_split(select), "--select") if select else None,
            check_prefixes(_split(ignore), "--ignore") if ignore else None,
            check_prefixes(_split(extend_select), "--extend-select") if extend_select else None,
            _per_file_ignores(per_file_ignores),
        )
    except ConfigError as error:
        click.echo(f"losslint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)

    diagnostics: list[Diagnostic] = []
    stdin_data: dict[str, bytes] = {}  # what stdin held, for formats that quote source
    failed = False
    excluded = (tuple(exclude) if exclude else config.exclude) + (
        config.extend_exclude + tuple(extend_exclude)
    )
    force = config.force_exclude if force_exclude is None else force_exclude
    inputs = list(_inputs(paths, config.root, excluded, force, stdin_filename))
    if not inputs and not quiet:
        click.echo("losslint: warning: no Python files or notebooks found to check", err=True)
    if add_noqa and (fix or diff):
        click.echo("losslint: error: --add-noqa cannot be combined with --fix or --diff", err=True)
        sys.exit(EXIT_ERROR)
    fixing = None
    if fix or diff:
        from losslint.analysis.project import Project
        from losslint.fixes.run import FixRun

        project = Project(Path(display) if str(path) == "-" else path for path, display in inputs)
        fixing = FixRun(selection, unsafe_fixes, fix and not diff, project)
        for path, display in inputs:
            try:
                if str(path) == "-":
                    data = sys.stdin.buffer.read()
                    diagnostics.extend(fixing.stdin(data, display))
                    stdin_data[display] = fixing.stdin_source if fixing.write else data
                else:
                    diagnostics.extend(fixing.file(path, display))
            except Exception as error:  # noqa: BLE001 - one bad file must not stop the run
                failed = True
                click.echo(f"losslint: internal error on {display}: {error!r}", err=True)
    else:
        jobs = []
        for path, display in inputs:
            if str(path) == "-":
                stdin_data[display] = sys.stdin.buffer.read()
                jobs.append(Job(None, display, stdin_data[display]))
            else:
                jobs.append(Job(path, display))
        cache = None
        if not no_cache:
            folder = cache_dir or (config.root or Path(".")) / CACHE_FOLDER
            cache = Cache(folder, settings=repr(selection))
        progress = Progress(len(jobs), enabled=progress_wanted(quiet))
        outcome = check_jobs(jobs, selection, workers=workers, cache=cache, progress=progress)
        diagnostics = outcome.diagnostics
        for error in outcome.errors:
            failed = True
            click.echo(f"losslint: {error}", err=True)
    # A finding inside a shared function can be found from several files that call it.
    diagnostics = one_per_place(diagnostics)
    if add_noqa:
        failed = _add_noqa(inputs, diagnostics, quiet) or failed
        sys.exit(EXIT_ERROR if failed else EXIT_CLEAN)
    if fixing is not None:
        failed = _report_fixes(fixing, quiet) or failed
        _write_fix_output(
            fixing,
            diagnostics,
            output_format,
            statistics,
            stdin_data,
            output_file,
            show_fixes,
            quiet,
        )
    else:
        _write_output(diagnostics, output_format, statistics, stdin_data, output_file, unsafe_fixes)
        human = output_file is None and _human(output_format, statistics) and not quiet
        if show_fixes and human:
            fixable = [d for d in diagnostics if applicable(d, unsafe_fixes)]
            click.echo(fixes_list(fixable, done=False))
        if human:
            _echo_nonempty(count_line(diagnostics, unsafe=unsafe_fixes))
    if failed:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if diagnostics and not exit_zero else EXIT_CLEAN)


def _write_output(
    diagnostics: Sequence[Diagnostic],
    output_format: str,
    statistics: bool,
    stdin_data: dict[str, bytes],
    output_file: Path | None,
    unsafe: bool = False,
) -> None:
    """Render the findings in the chosen format and write them out (losslint/formats/)."""
    if statistics:
        text = formats.render_statistics(diagnostics, as_json=output_format == "json")
    else:
        lines = formats.source_lines(stdin_data)
        text = formats.render(output_format, diagnostics, lines, unsafe_fixes=unsafe)
    if output_file is None:
        click.echo(text, nl=False)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as error:
        click.echo(f"losslint: error: cannot write {output_file}: {error.strerror}", err=True)
        sys.exit(EXIT_ERROR)


def _human(output_format: str, statistics: bool) -> bool:
    """Whether the output is read by people, so that a count line may close it."""
    return output_format in ("text", "grouped") and not statistics


def _echo_nonempty(text: str, err: bool = False) -> None:
    if text:
        click.echo(text, err=err)


def _report_fixes(fixing: FixRun, quiet: bool = False) -> bool:
    """Say on stderr what --fix could not do; True when a file could not be written."""
    for error in fixing.errors:
        click.echo(f"losslint: error: {error}", err=True)
    for path in fixing.unconverged if not quiet else ():
        click.echo(f"losslint: warning: {path}: fixes did not converge; rerun --fix", err=True)
    return bool(fixing.errors)


def _add_noqa(inputs, diagnostics: Sequence[Diagnostic], quiet: bool) -> bool:
    """--add-noqa: write the comments; True when a file could not be written."""
    from losslint.fixes.atomic import ChangedOnDisk
    from losslint.fixes.noqa import add_noqa
    from losslint.fixes.notebook_json import LayoutUnknown

    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_path.setdefault(diagnostic.location.path, []).append(diagnostic)
    added, failed = 0, False
    for path, display in inputs:
        if str(path) == "-" or display not in by_path:
            continue
        try:
            added += add_noqa(path, by_path[display])
        except (OSError, ChangedOnDisk, LayoutUnknown, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            click.echo(f"losslint: error: cannot add noqa to {display}: {reason}", err=True)
            failed = True
    if not quiet:
        click.echo(f"Added {added} noqa directive{'s' if added != 1 else ''}.")
    return failed


def _write_fix_output(
    fixing: FixRun,
    diagnostics: Sequence[Diagnostic],
    output_format: str,
    statistics: bool,
    stdin_data: dict[str, bytes],
    output_file: Path | None,
    show: bool,
    quiet: bool = False,
) -> None:
    """--diff prints the diff; --fix on stdin prints the fixed source (findings on stderr);
    --fix on files reports the findings left. People get the fixes and the count after."""
    human = output_file is None and _human(output_format, statistics) and not quiet
    applied = fixing.applied
    if not fixing.write:  # --diff
        click.echo(fixing.diff(), nl=False)
        if show:
            _echo_nonempty(fixes_list(applied, done=False), err=True)
        left = sorted(set(fixing.remaining), key=Diagnostic.sort_key)
        if not quiet:
            count = count_line(left, len(applied), unsafe=fixing.unsafe, would=True)
            _echo_nonempty(count, err=True)
        return
    if fixing.stdin_source is not None:
        sys.stdout.buffer.write(fixing.stdin_source)
        sys.stdout.flush()
        if output_file is not None:
            _write_output(
                diagnostics, output_format, statistics, stdin_data, output_file, fixing.unsafe
            )
            return
        if statistics:
            text = formats.render_statistics(diagnostics, as_json=output_format == "json")
        else:
            lines = formats.source_lines(stdin_data)
            text = formats.render(output_format, diagnostics, lines, unsafe_fixes=fixing.unsafe)
        click.echo(text, nl=False, err=True)
        if show:
            _echo_nonempty(fixes_list(applied, done=True), err=True)
        if not quiet:
            _echo_nonempty(count_line(diagnostics, len(applied), True, fixing.unsafe), err=True)
        return
    _write_output(diagnostics, output_format, statistics, stdin_data, output_file, fixing.unsafe)
    if human:
        if show:
            _echo_nonempty(fixes_list(applied, done=True))
        _echo_nonempty(count_line(diagnostics, len(applied), True, fixing.unsafe))


def _inputs(
    paths, root: Path | None, excluded: tuple[str, ...], force: bool, stdin_filename: str | None
):
    """(path, display name) for every file to check.

    A file named on the command line is checked even when an exclude matches it,
    unless ``force`` (``--force-exclude``): pre-commit names every staged file.
    """
    for path in paths:
        if str(path) == "-":
            yield path, stdin_filename or "-"
            continue
        if not path.exists() and not path.is_symlink():
            click.echo(f"losslint: error: {path}: no such file or directory", err=True)
            sys.exit(EXIT_ERROR)
        if force and not path.is_dir() and is_excluded_named(path, excluded, root):
            continue
        for file in discover([path], excluded, root):
            yield file, str(file)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def rules(output_format: str) -> None:
    """List every rule: code, name and summary."""
    if output_format == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "static": r.static,
                "runtime": r.runtime,
                "url": r.url,
            }
            for r in RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for rule in RULES:
        click.echo(f"{rule.code}  {rule.name:<36} {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print the catalog page of CODE (e.g. LL001)."""
    if code.upper() not in BY_CODE:
        click.echo(f"losslint: error: unknown rule code {code!r}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(rule_page(code))


@main.command()
def server() -> None:
    """Run the language server over stdio (needs the lsp extra: torch-losslint[lsp])."""
    try:
        from losslint.lsp import serve
    except ImportError as error:
        if (error.name or "").partition(".")[0] not in ("pygls", "lsprotocol"):
            raise
        click.echo(
            "losslint: error: the language server needs pygls; "
            "install it with: pip install 'torch-losslint[lsp]'",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    serve()


@main.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--strict", is_flag=True, help="Raise LossMisuseError at the first finding.")
@click.argument("script", type=click.Path(exists=True, dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def trace(strict: bool, script: str, args: tuple[str, ...]) -> None:
    """Run SCRIPT (or a notebook's code cells) as __main__ with ARGS, checking every loss
    call on real tensors."""
    from losslint.tracer.script import NO_TORCH, run_script, torch_missing

    if torch_missing():
        click.echo(f"losslint: error: {NO_TORCH}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(run_script(script, list(args), strict=strict))
