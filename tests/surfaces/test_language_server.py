"""``losslint server`` with a real LSP client over stdio: diagnostics, noqa, fixes, shutdown."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("pygls")

from lsp_driver import LspDriver, apply_text_edits  # noqa: E402

from losslint.catalog import BY_CODE  # noqa: E402
from losslint.cli import main  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# The loss call sits after a non-ASCII string on its line: its UTF-16 column
# differs from its code-point column, as editors count them.
BAD = """\
import torch.nn.functional as F


def step(logits, y):
    probs = F.softmax(logits, dim=1)
    print("🔥 loss", F.cross_entropy(probs, y))
"""
# The softmax feeds only the loss: dropping it is LL001's safe fix.
NESTED = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(F.softmax(logits, dim=1), y)
"""
SAVED = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(logits, y)
"""


def _start(cwd: Path) -> LspDriver:
    # The checkout first on the path, installed or not; run from an unrelated folder.
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    return LspDriver([sys.executable, "-m", "losslint", "server"], cwd=str(cwd), env=env)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def server(workspace: Path):
    """One server for the document tests (each opens its own file): starting one costs."""
    driver = _start(workspace)
    driver.initialize(workspace.as_uri())
    yield driver
    driver.close()


def _open(server: LspDriver, path: Path, text: str) -> str:
    uri = path.as_uri()
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    return uri


def _change(server: LspDriver, uri: str, version: int, text: str) -> None:
    server.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
    )


def _code_actions(server: LspDriver, uri: str, diagnostic: dict, only: list[str]) -> list[dict]:
    return server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": only},
        },
    )


def test_initialize_shutdown_exit(tmp_path: Path) -> None:
    driver = _start(tmp_path)
    try:
        result = driver.initialize(tmp_path.as_uri())
    finally:
        status = driver.close()
    capabilities = result["capabilities"]
    assert capabilities["textDocumentSync"]["openClose"] is True
    kinds = capabilities["codeActionProvider"]["codeActionKinds"]
    assert {"quickfix", "source.fixAll.losslint"} <= set(kinds)
    assert result["serverInfo"]["name"] == "losslint"
    assert status == 0


def test_diagnostic_from_buffer_with_code_link_and_origin(server, workspace) -> None:
    path = workspace / "buffer.py"
    path.write_text(SAVED)  # the disk is clean: findings must come from the buffer
    uri = _open(server, path, BAD)
    [diagnostic] = server.diagnostics(uri, version=1)

    assert diagnostic["code"] == "LL001"
    assert diagnostic["source"] == "losslint"
    assert diagnostic["codeDescription"]["href"] == BY_CODE["LL001"].url
    assert "softmax" in diagnostic["message"]
    line = BAD.splitlines()[5]
    start = line.index("F.cross_entropy")
    # 🔥 is one code point but two UTF-16 units.
    assert diagnostic["range"]["start"] == {"line": 5, "character": start + 1}
    [related] = diagnostic["relatedInformation"]
    assert related["location"]["uri"] == uri
    assert related["location"]["range"]["start"] == {
        "line": 4,
        "character": BAD.splitlines()[4].index("F.softmax"),
    }
    assert related["message"] == "softmax here"


def test_noqa_action_clears_the_diagnostic(server, workspace) -> None:
    uri = _open(server, workspace / "noqa.py", BAD)
    [diagnostic] = server.diagnostics(uri, version=1)

    actions = _code_actions(server, uri, diagnostic, ["quickfix"])
    [noqa] = [a for a in actions if a["title"] == "Disable LL001 for this line"]
    assert noqa["kind"] == "quickfix"
    assert noqa["diagnostics"][0]["code"] == "LL001"
    fixed = apply_text_edits(BAD, noqa["edit"]["changes"][uri])
    assert fixed.splitlines()[5].endswith("F.cross_entropy(probs, y))  # noqa: LL001")

    _change(server, uri, 2, fixed)
    assert server.diagnostics(uri, version=2) == []


def test_quick_fix_clears_the_diagnostic(server, workspace) -> None:
    """The finding's own fix, offered when its rule has one for this case."""
    uri = _open(server, workspace / "quickfix.py", NESTED)
    [diagnostic] = server.diagnostics(uri, version=1)
    actions = _code_actions(server, uri, diagnostic, ["quickfix"])
    fixes = [a for a in actions if not a["title"].startswith("Disable ")]
    if not fixes:
        pytest.skip("LL001 offers no fix for this case yet (fixes are being added)")
    [fix] = fixes
    assert fix["isPreferred"] is True  # a safe fix
    fixed = apply_text_edits(NESTED, fix["edit"]["changes"][uri])
    assert "softmax" not in fixed
    _change(server, uri, 2, fixed)
    assert server.diagnostics(uri, version=2) == []


def test_fix_all_applies_the_safe_fixes(server, workspace) -> None:
    uri = _open(server, workspace / "fixall.py", NESTED)
    [diagnostic] = server.diagnostics(uri, version=1)
    actions = _code_actions(server, uri, diagnostic, ["source.fixAll"])
    if not actions:
        pytest.skip("LL001 offers no safe fix for this case yet (fixes are being added)")
    [fix_all] = actions
    assert fix_all["kind"] == "source.fixAll.losslint"
    fixed = apply_text_edits(NESTED, fix_all["edit"]["changes"][uri])
    _change(server, uri, 2, fixed)
    assert server.diagnostics(uri, version=2) == []


def test_close_clears_diagnostics(server, workspace) -> None:
    uri = _open(server, workspace / "closed.py", BAD)
    assert server.diagnostics(uri, version=1)
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert server.diagnostics(uri) == []


def test_server_without_pygls_says_how_to_install_and_exits_2(monkeypatch) -> None:
    # None in sys.modules makes `import pygls` fail as if it were not installed; what
    # earlier tests imported goes too (monkeypatch puts it all back).
    for name in list(sys.modules):
        if name.startswith("pygls.") or name == "losslint.lsp":
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pygls", None)
    result = CliRunner().invoke(main, ["server"])
    assert result.exit_code == 2
    assert "pip install 'torch-losslint[lsp]'" in result.output
