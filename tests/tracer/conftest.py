"""Fixtures for the runtime tracer's tests: a clean tracer per test, and devices."""

from __future__ import annotations

import pytest
import torch

from losslint.tracer import intercept
from losslint.tracer.report import REPORT
from losslint.tracer.session import STATE

DEVICES = [
    pytest.param("cpu", id="cpu"),
    pytest.param(
        "cuda",
        id="cuda",
        marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA not available"),
    ),
]


@pytest.fixture(autouse=True)
def fresh_tracer():
    """Each test starts with no budgets spent and no findings, and must restore torch."""
    STATE.reset_sites()
    REPORT.clear()
    torch.manual_seed(0)
    yield
    assert not intercept.is_installed(), "a test left the loss entry points patched"
    STATE.reset_sites()
    REPORT.clear()


@pytest.fixture(params=DEVICES)
def device(request) -> torch.device:
    return torch.device(request.param)
