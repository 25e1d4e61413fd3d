"""Fix tests see a fix builder's errors: a crash must not pass for "no fix here"."""

from __future__ import annotations

import pytest

from losslint import fixes


@pytest.fixture(autouse=True)
def strict_fix_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fixes, "STRICT", True)
