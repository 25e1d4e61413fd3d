"""``pytest --losslint-trace``: run every test under ``losslint.trace()``.

pytest loads this module at startup in every project that installs losslint (the
``pytest11`` entry point), so it imports neither torch nor the tracer's torch
parts here, and does nothing but declare its options unless ``--losslint-trace``
(or ``--losslint-strict``) is given.

Each test's setup, call and teardown run traced, with per-site budgets reset per
test, so a helper shared by many tests is checked in each of them. Findings are
``LossMisuseWarning``s, which pytest shows in its warnings summary against the
test; ``--losslint-strict`` turns them into ``LossMisuseError`` (the test fails).
The terminal summary ends with the findings in the static linter's format.
Under pytest-xdist the warnings still reach the controller; the closing summary is
printed by each worker only, so it does not show.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest


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


def _strict(config: pytest.Config) -> bool:
    return bool(config.getoption("--losslint-strict", default=False))


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("--losslint-trace", default=False)) or _strict(config)


# Old-style hook wrappers (``hookwrapper=True``) on purpose: this module is loaded by
# every pytest that can see losslint installed, including pytest 7.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, None]:
    if not _enabled(item.config):
        yield
        return
    from losslint.tracer.session import STATE, trace

    STATE.reset_sites()  # each test is checked afresh, even through shared helpers
    with trace(strict=_strict(item.config), summary=False):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    if not _enabled(item.config):
        yield
        return
    from losslint.tracer.session import trace

    with trace(strict=_strict(item.config), summary=False):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, Any, None]:
    if not _enabled(item.config):
        yield
        return
    from losslint.tracer.session import trace

    with trace(strict=_strict(item.config), summary=False):
        yield


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _enabled(config):
        return
    from losslint.diagnostics import format_text
    from losslint.tracer.report import REPORT

    found = REPORT.take_unprinted()
    if not found:
        return
    terminalreporter.section("losslint trace")
    for diagnostic in found:
        terminalreporter.write_line(format_text(diagnostic))
