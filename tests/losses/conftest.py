"""Shared fixtures for losslint.losses: the devices present, and a compile marker.

Every device test runs on CPU, and on CUDA and MPS when present (skipped otherwise),
so the same suite checks a GPU machine without edits.
"""

from __future__ import annotations

import pytest
import torch


def _device_params() -> list:
    return [
        pytest.param("cpu", id="cpu"),
        pytest.param(
            "cuda",
            id="cuda",
            marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device"),
        ),
        pytest.param(
            "mps",
            id="mps",
            marks=pytest.mark.skipif(not torch.backends.mps.is_available(), reason="no MPS device"),
        ),
    ]


DEVICES = _device_params()


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    return request.param


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "compile: runs torch.compile (inductor); slowest tests, deselect with -m 'not compile'",
    )
