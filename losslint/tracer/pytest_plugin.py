"""``pytest --losslint-trace``: run every test under ``losslint.trace()``.

pytest loads this module at startup in every project that installs losslint (the
``pytest11`` entry point), so it imports neither torch nor the tracer's torch
parts here, and does nothing but declare its options unless ``--losslint-trace``
(or ``--losslint-strict``) is given.

Tracing starts before the initial conftests are loaded and lasts the whole
session, so a test module's ``from torch.nn.functional import cross_entropy``
(run at collection) binds the traced function too. Per-site budgets are reset
before each test, so a helper shared by many tests is checked in each of them.
Findings are ``LossMisuseWarning``s, which pytest shows in its warnings summary
against the test; ``--losslint-strict`` raises ``LossMisuseError`` instead (the
test fails). ``--losslint-fail`` (for CI) lets every test run as under
``--losslint-trace`` and then fails the run (exit status 1) if the tracer found
anything. The terminal summary ends with the findings in the static linter's
format. Under pytest-xdist the warnings still reach the controller; the closing
summary is printed by each worker only, so it does not show.
"""

from __future__ import annotations

from typing import Any

import pytest

# The session-wide trace() of each pytest run (keyed by its config), while active.
_SESSIONS: dict[int, Any] = {}
# Runs (by config) under --losslint-fail, and the LossMisuseWarnings seen in this process,
# also those pytest-xdist forwards from its workers (the controller runs no test itself).
_FAIL: set[int] = set()
_WARNINGS: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("losslint", "losslint runtime tracer")
    group.addoption(
        "--losslint-trace",
        action="store_true",
        default=False,
        help="check every loss call made by the tests on real tensors (losslint.trace)",
    )
    group.addoption(
        "--losslint-strict",
        action="store_true",
        default=False,
        help="like --losslint-trace, but a finding fails the test (LossMisuseError)",
    )
    group.addoption(
        "--losslint-fail",
        action="store_true",
        default=False,
        help="like --losslint-trace, and the run fails (exit 1) if anything was found (for CI)",
    )


def _options(namespace: Any) -> tuple[bool, bool]:
    """(enabled, strict) from parsed options."""
    strict = bool(getattr(namespace, "losslint_strict", False))
    fail = bool(getattr(namespace, "losslint_fail", False))
    return strict or fail or bool(getattr(namespace, "losslint_trace", False)), strict


def _start(config: pytest.Config, strict: bool) -> None:
    if id(config) in _SESSIONS:
        return
    from losslint.tracer.script import NO_TORCH, torch_missing

    if torch_missing():
        # One line, never a traceback: pytest prints a usage error as "ERROR: ..." and
        # exits with its usage-error status (4).
        raise pytest.UsageError(f"losslint: {NO_TORCH}")
    from losslint.tracer.session import trace

    session = trace(strict=strict, summary=False)
    session.__enter__()
    _SESSIONS[id(config)] = session


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    enabled, strict = _options(early_config.known_args_namespace)
    if enabled:
        _start(early_config, strict)


def pytest_configure(config: pytest.Config) -> None:
    enabled, strict = _options(config.option)
    if enabled:  # when the early hook did not run (e.g. a plugin loaded late)
        _start(config, strict)
    if getattr(config.option, "losslint_fail", False):
        _FAIL.add(id(config))


def pytest_warning_recorded(warning_message: Any, when: str, nodeid: str, location: Any) -> None:
    if getattr(warning_message.category, "__name__", "") == "LossMisuseWarning":
        _WARNINGS.append(str(warning_message.message))


def _found(config: pytest.Config) -> int:
    """How many findings this run made (here, or in xdist workers, by their warnings)."""
    from losslint.tracer.report import REPORT

    return max(len(REPORT.diagnostics()), len(set(_WARNINGS)))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if id(config) in _FAIL and session.exitstatus == pytest.ExitCode.OK and _found(config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    _FAIL.discard(id(config))
    session = _SESSIONS.pop(id(config), None)
    if session is not None:
        session.__exit__(None, None, None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if id(item.config) in _SESSIONS:
        from losslint.tracer.session import STATE

        STATE.reset_sites()  # each test is checked afresh, even through shared helpers


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    result = yield
    if id(item.config) in _SESSIONS:
        from losslint.tracer.session import STATE

        # Late bad batches (watch.py) of this test are judged when its body ends, so
        # that under --losslint-strict the test that made those calls is the one
        # that fails.
        STATE.flush(strict=STATE.strict)
    return result


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if id(config) not in _SESSIONS:
        return
    from losslint.diagnostics import format_text
    from losslint.tracer.report import REPORT

    found = REPORT.take_unprinted()
    failing = id(config) in _FAIL and _found(config)
    if not found and not failing:
        return
    terminalreporter.section("losslint trace")
    for diagnostic in found:
        terminalreporter.write_line(format_text(diagnostic))
    if failing:
        count = _found(config)
        terminalreporter.write_line(
            f"losslint: {count} finding{'s' if count != 1 else ''}: the run fails (--losslint-fail)"
        )
