"""``--fix`` in notebooks: the cells' sources are edited, the JSON keeps its layout."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from losslint.fixes.notebook_fix import fix_notebook


def _cell(source: list[str], **extra) -> dict:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    return {**cell, **extra, "source": source}


def _document(*cells: dict) -> dict:
    cells = copy.deepcopy(cells)  # tests edit the expected document's cells
    return {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Training\n"]}, *cells],
        "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _nbformat(document: dict) -> str:
    """As Jupyter writes a notebook."""
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


OUTPUT = {"output_type": "stream", "name": "stdout", "text": ["épochs 1\n"]}
IMPORTS = _cell(["%matplotlib inline\n", "import torch\n", "import torch.nn as nn"])
STEP = _cell(
    ["def step(logits, y):\n", "    return nn.CrossEntropyLoss()(logits.softmax(dim=1), y)\n"],
    execution_count=2,
    outputs=[OUTPUT],
)
NLL = _cell(
    [
        "def nll(logits, y):\n",
        "    sm = nn.Softmax(dim=1)\n",
        "    return nn.NLLLoss()(sm(logits), y)",
    ]
)


def test_fix_edits_the_cells_and_keeps_the_json(tmp_path: Path) -> None:
    path = tmp_path / "train.ipynb"
    path.write_text(_nbformat(_document(IMPORTS, STEP, NLL)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "losslint", "check", "--no-cache", "--fix", "train.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Found 2 findings (2 fixed, 0 remaining)." in result.stdout
    expected = _document(IMPORTS, STEP, NLL)
    imports, step, nll = expected["cells"][1:]
    imports["source"] = ["import torch.nn.functional as F\n", *IMPORTS["source"]]
    step["source"][1] = "    return nn.CrossEntropyLoss()(logits, y)\n"
    nll["source"][2] = "    return nn.NLLLoss()(F.log_softmax(logits, dim=1), y)"
    assert path.read_text(encoding="utf-8") == _nbformat(expected)


def test_a_notebook_in_another_json_layout_keeps_it() -> None:
    document = _document(IMPORTS, STEP)
    data = (json.dumps(document, indent=2) + "\n").encode()
    result = fix_notebook(data, "nb.ipynb")
    document["cells"][2]["source"][1] = "    return nn.CrossEntropyLoss()(logits, y)\n"
    assert result.fixed.decode() == json.dumps(document, indent=2) + "\n"
    assert result.remaining == ()


def test_a_layout_that_cannot_be_kept_is_not_rewritten() -> None:
    data = json.dumps(_document(IMPORTS, STEP), indent=3, separators=(",", " : ")).encode()
    result = fix_notebook(data, "nb.ipynb")
    assert result.fixed == data
    assert [d.code for d in result.remaining] == ["LL001"]


@pytest.mark.parametrize("magic", ["%time ", "!echo "])
def test_a_fix_on_an_ipython_line_is_not_applied(magic: str) -> None:
    cell = _cell(["import torch.nn as nn\n", "def step(logits, y):\n", "    return 0\n"])
    line = _cell([f"{magic}nn.CrossEntropyLoss()(logits.softmax(dim=1), y)"])
    data = _nbformat(_document(cell, line)).encode()
    result = fix_notebook(data, "nb.ipynb")
    assert result.fixed == data


def test_fix_from_stdin_prints_the_fixed_notebook(tmp_path: Path) -> None:
    data = _nbformat(_document(IMPORTS, STEP)).encode()
    result = subprocess.run(
        [sys.executable, "-m", "losslint", "check", "--no-cache", "--fix"]
        + ["--stdin-filename", "train.ipynb", "-"],
        cwd=tmp_path,
        input=data,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fixed = json.loads(result.stdout)
    assert fixed["cells"][2]["source"][1] == "    return nn.CrossEntropyLoss()(logits, y)\n"
    assert fixed["cells"][2]["outputs"] == [OUTPUT]
