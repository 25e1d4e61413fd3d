"""``losslint trace script.py`` and ``pytest --losslint-trace``, through their real entry points.

Every command runs in a subprocess, as a user would run it. The subprocesses (each
pays for importing torch) are started together by one module fixture, two at a
time, and each test then reads its own run's result.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

TRAIN = """
import argparse
import sys

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, required=True)
parser.add_argument("--exit", type=int, default=0)
args = parser.parse_args()

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 4){tail})
criterion = nn.CrossEntropyLoss()
x, y = torch.randn(32, 8), torch.randint(0, 4, (32,))
for epoch in range(args.epochs):
    for step in range(3):
        model.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        with torch.no_grad():  # plain SGD, by hand: torch.optim costs a slow import
            for parameter in model.parameters():
                parameter -= 0.1 * parameter.grad
print("epochs", args.epochs, "argv0", sys.argv[0])
sys.exit(args.exit)
"""
BUGGY = TRAIN.replace("{tail}", ", nn.Softmax(dim=1)")
CLEAN = TRAIN.replace("{tail}", "")
LOSS_LINE = 20  # the line of `loss = criterion(model(x), y)` in TRAIN
LOSS_COLUMN = 16

CRASH = {"helper.py": "VALUE = 1\n", "crash.py": "import helper\nraise ValueError(helper.VALUE)\n"}

TEST_FILE = """
import torch
from torch import nn
from torch.nn.functional import nll_loss  # bound at collection, before any test runs


def test_training_step():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))
    loss = nn.NLLLoss()(model(torch.randn(16, 8)), torch.randint(0, 4, (16,)))
    loss.backward()


def test_functional_bound_at_import():
    probs = torch.randn(16, 4).softmax(1)
    nll_loss(probs, torch.randint(0, 4, (16,)))
"""
NOTEBOOK = json.dumps(
    {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Training\n"]},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": ["%matplotlib inline\n", "import torch\n", "from torch import nn\n"],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": [
                    "model = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))\n",
                    "x, y = torch.randn(16, 8), torch.randint(0, 4, (16,))\n",
                    "loss = nn.CrossEntropyLoss()(model(x), y)\n",
                    "print('cells ran')",
                ],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
)
LIGHT_TEST_FILE = "import sys\n\n\ndef test_no_torch():\n    assert 'torch' not in sys.modules\n"


def _has_trace_command() -> bool:
    cli = REPO / "losslint" / "cli.py"
    return cli.exists() and "def trace" in cli.read_text()


def _pytest_args(*args: str) -> list[str]:
    installed = any(
        entry.name == "losslint" for entry in importlib.metadata.entry_points(group="pytest11")
    )
    plugin = [] if installed else ["-p", "losslint.tracer.pytest_plugin"]
    quiet = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:xdist"]
    return ["-m", "pytest", *plugin, *quiet, *args]


SCRIPT = ["-m", "losslint.tracer.script"]
CLI = ["-m", "losslint", "trace"]

# name -> (command line after the interpreter, files in its working folder)
RUNS: dict[str, tuple[list[str], dict[str, str]]] = {
    "module-buggy": ([*SCRIPT, "train.py", "--epochs", "1"], {"train.py": BUGGY}),
    "cli-buggy": ([*CLI, "train.py", "--epochs", "1"], {"train.py": BUGGY}),
    "module-clean": ([*SCRIPT, "train.py", "--epochs", "2"], {"train.py": CLEAN}),
    "cli-clean-exit-3": ([*CLI, "train.py", "--epochs", "2", "--exit", "3"], {"train.py": CLEAN}),
    "module-crash": ([*SCRIPT, "crash.py"], CRASH),
    "module-strict": ([*SCRIPT, "--strict", "train.py", "--epochs", "1"], {"train.py": BUGGY}),
    "pytest-trace": (
        _pytest_args("--losslint-trace", "test_model.py"),
        {"test_model.py": TEST_FILE},
    ),
    "pytest-strict": (
        _pytest_args("--losslint-strict", "test_model.py"),
        {"test_model.py": TEST_FILE},
    ),
    "pytest-off": (_pytest_args("test_light.py"), {"test_light.py": LIGHT_TEST_FILE}),
    "cli-strict": ([*CLI, "--strict", "train.py", "--epochs", "1"], {"train.py": BUGGY}),
    "cli-notebook": ([*CLI, "train.ipynb"], {"train.ipynb": NOTEBOOK}),
    "cli-not-a-notebook": ([*CLI, "train.ipynb"], {"train.ipynb": '{"cells": 3}'}),
    "pytest-fail": (_pytest_args("--losslint-fail", "test_model.py"), {"test_model.py": TEST_FILE}),
    "pytest-fail-clean": (
        _pytest_args("--losslint-fail", "test_clean.py"),
        {
            "test_clean.py": TEST_FILE.replace("nn.Softmax(dim=1)", "nn.LogSoftmax(dim=1)").replace(
                "probs = torch.randn(16, 4).softmax(1)", "probs = torch.randn(16, 4).log_softmax(1)"
            )
        },
    ),
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONWARNINGS"] = "ignore::UserWarning:torch._subclasses.functional_tensor"
    return env


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every run in RUNS, each in a fresh folder, two at a time."""
    names = [n for n in RUNS if _has_trace_command() or not n.startswith("cli-")]

    def run(name: str) -> subprocess.CompletedProcess[str]:
        command, files = RUNS[name]
        folder = tmp_path_factory.mktemp(name)
        for filename, text in files.items():
            (folder / filename).write_text(text)
        return subprocess.run(
            [sys.executable, *command],
            cwd=folder,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(names, pool.map(run, names), strict=True))


needs_cli = pytest.mark.skipif(not _has_trace_command(), reason="no `losslint trace` yet")


@pytest.mark.parametrize("name", ["module-buggy", pytest.param("cli-buggy", marks=needs_cli)])
def test_trace_command_reports_findings_and_exits_1(results, name):
    result = results[name]
    assert result.returncode == 1, result.stderr
    assert "epochs 1 argv0 train.py" in result.stdout
    summary = [line for line in result.stderr.splitlines() if line.startswith("train.py:")]
    assert len(summary) == 1, result.stderr
    assert re.fullmatch(
        rf"train\.py:{LOSS_LINE}:{LOSS_COLUMN}: LL001 `CrossEntropyLoss` input is probabilities "
        r"\(softmax output\).*loss \d+\.\d\d with probabilities; \d+\.\d\d from the logits.*",
        summary[0],
    )
    assert "LossMisuseWarning: LL001" in result.stderr


@pytest.mark.parametrize(
    ("name", "status"),
    [("module-clean", 0), pytest.param("cli-clean-exit-3", 3, marks=needs_cli)],
)
def test_trace_command_is_silent_and_keeps_the_scripts_exit_status(results, name, status):
    result = results[name]
    assert result.returncode == status, result.stderr
    assert "epochs 2" in result.stdout
    assert "LL0" not in result.stderr


def test_trace_command_prints_the_scripts_traceback_and_exits_1(results):
    result = results["module-crash"]
    assert result.returncode == 1
    assert "ValueError: 1" in result.stderr
    assert "runpy" not in result.stderr  # the traceback starts at the script


@pytest.mark.parametrize("name", ["module-strict", pytest.param("cli-strict", marks=needs_cli)])
def test_trace_command_strict_stops_at_the_first_finding_and_prints_it_once(results, name):
    result = results[name]
    assert result.returncode == 1
    assert "epochs" not in result.stdout
    assert result.stderr.count(f"train.py:{LOSS_LINE}:{LOSS_COLUMN}: LL001") == 1, result.stderr
    assert "stopped at the first finding (--strict)" in result.stderr


@needs_cli
def test_trace_runs_a_notebooks_code_cells(results):
    result = results["cli-notebook"]
    assert result.returncode == 1, result.stderr
    assert "cells ran" in result.stdout
    assert "IPython syntax not run: train.ipynb:cell 2:1: %matplotlib inline" in result.stderr
    summary = [line for line in result.stderr.splitlines() if line.startswith("train.ipynb:")]
    assert len(summary) == 1 and summary[0].startswith("train.ipynb:cell 3:3:8: LL001 ")


@needs_cli
def test_trace_refuses_a_file_that_is_no_notebook(results):
    result = results["cli-not-a-notebook"]
    assert result.returncode == 2
    assert result.stderr == (
        "losslint: error: train.ipynb: not a notebook losslint can run: no list of cells\n"
    )


def test_pytest_losslint_fail_runs_every_test_then_fails_the_run(results):
    result = results["pytest-fail"]
    assert result.returncode == 1, result.stdout
    assert "2 passed" in result.stdout  # the tests themselves pass: not --losslint-strict
    assert "losslint: 2 findings: the run fails (--losslint-fail)" in result.stdout


def test_pytest_losslint_fail_passes_a_clean_run(results):
    result = results["pytest-fail-clean"]
    assert result.returncode == 0, result.stdout
    assert "losslint" not in result.stdout.split("passed")[-1]


def test_pytest_plugin_traces_every_test(results):
    result = results["pytest-trace"]
    assert result.returncode == 0, result.stdout
    assert "LossMisuseWarning: LL004 `NLLLoss` input is probabilities" in result.stdout
    assert "losslint trace" in result.stdout
    summary = result.stdout.split("losslint trace")[-1]
    assert re.search(r"^test_model\.py:10:12: LL004 `NLLLoss`", summary, re.MULTILINE), summary
    assert re.search(r"^test_model\.py:16:5: LL004 `nll_loss`", summary, re.MULTILINE), summary


def test_pytest_plugin_does_nothing_without_its_option(results):
    result = results["pytest-off"]  # its test asserts that torch was never imported
    assert result.returncode == 0, result.stdout
    # Installed, the plugin is listed in pytest's header ("plugins: losslint-0.1.0");
    # what it must not do without its option is trace or summarise.
    assert "losslint trace" not in result.stdout
    assert "LossMisuseWarning" not in result.stdout


def test_pytest_plugin_strict_fails_the_test(results):
    result = results["pytest-strict"]
    assert result.returncode == 1, result.stdout
    assert "LossMisuseError" in result.stdout
    assert "2 failed" in result.stdout
