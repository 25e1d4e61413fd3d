"""What a file's code names, read from CPython's syntax tree, and the files it lets the
linter leave unparsed: never one where the analysis would have reported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from corpus_tools import corpus_projects, lint_project

from losslint import linter
from losslint.checks import ALL_CHECKS
from losslint.codefacts import CodeFacts
from losslint.diagnostics import format_text
from losslint.linter import lint_bytes, names_a_loss

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "static").glob("*.py"))


def facts(code: str) -> CodeFacts:
    return CodeFacts(ast.parse(code))


def by_code(code: str) -> dict:
    return {check.code: check for check in ALL_CHECKS}[code]


# ------------------------------------------------------------------ what the code names
def test_comments_and_docstrings_are_not_code() -> None:
    code = '''
"""Trains with cross_entropy."""
def f(x):
    """Applies CrossEntropyLoss."""
    # nn.CrossEntropyLoss would go here
    "a string statement naming MSELoss"
    return x
'''
    assert not facts(code).mentions([b"cross_entropy", b"CrossEntropyLoss", b"MSELoss"])


@pytest.mark.parametrize(
    "code",
    [
        "loss = F.cross_entropy(x, y)",
        "from torch.nn import CrossEntropyLoss",
        "crit = getattr(nn, 'CrossEntropyLoss')()",
        "LOSSES = {'ce': 'cross_entropy'}",
        "def my_cross_entropy(x): pass",
        "f(x, cross_entropy=True)",
    ],
)
def test_identifiers_and_strings_are_code(code: str) -> None:
    assert facts(code).mentions([b"cross_entropy", b"CrossEntropyLoss"])


def test_calls_of_a_name_are_listed_with_their_arguments() -> None:
    found = facts("p = F.softmax(x, dim=1)\nq = softmax(y)\n").calls_of(frozenset({"softmax"}))
    assert [ast.unparse(call) for call in found] == ["F.softmax(x, dim=1)", "softmax(y)"]


@pytest.mark.parametrize(
    "code",
    [
        "sm = F.softmax\nsm(x)",  # an alias
        "act = getattr(F, 'softmax')\nact(x)",  # a name in a string
        "from torch.nn.functional import softmax as sm\nsm(x)",  # imported as another name
        "apply(F.softmax, x)",  # passed on
        "partial(F.softmax)(x)",
    ],
)
def test_a_name_used_otherwise_than_called_has_no_list(code: str) -> None:
    assert facts(code).calls_of(frozenset({"softmax"})) is None


def test_rebinding_a_name_is_no_alias() -> None:
    code = "self.softmax = nn.Softmax(dim=1)\nsoftmax = 3\ndel softmax"
    assert facts(code).calls_of(frozenset({"Softmax", "softmax"})) is not None


@pytest.mark.parametrize(
    ("code", "may"),
    [
        ("import math\nmath.log(d)", False),
        ("import numpy as np\nnp.log(x)\nnp.log1p(x)", False),
        ("import torch\ntorch.log(p)", True),
        ("p.log()", True),
        ("from torch import log\nlog(p)", True),
        ("import torch as np\nnp.log(p)", True),  # named numpy's, bound to torch
        ("import numpy as np\nnp = torch\nnp.log(p)", True),  # rebound
        ("import math\nlg = torch.log\nmath.log(2)", True),  # an alias of a log
    ],
)
def test_logs_of_math_and_numpy_are_not_torchs(code: str, may: bool) -> None:
    assert facts(code).may_call_torch_log() is may


def test_a_log_of_math_next_to_a_softmax_names_no_loss() -> None:
    code = "import math\nscale = math.log(d)\nattn = attn.softmax(dim=-1)"
    assert not names_a_loss(facts(code))
    assert names_a_loss(facts("p = torch.softmax(x, 1)\nlp = torch.log(p)"))


# --------------------------------------------------------- where a rule could report
@pytest.mark.parametrize(
    ("code", "may"),
    [
        ("p = F.softmax(x, dim=-1)", False),
        ("p = F.softmax(x, 1)", False),
        ("p = x.softmax(dim=1)", False),
        ("m = nn.Softmax(dim=1)", False),
        ("m = nn.LogSoftmax(1)", False),
        ("p = F.softmax(*args)", False),  # the rule leaves a starred call alone
        ("p = F.softmax(x)", True),
        ("p = x.softmax(-1)", True),  # `x` may be a module, for all the syntax says
        ("p = F.softmax(x, dim=None)", True),
        ("m = nn.Softmax()", True),
        ("sm = F.softmax\np = sm(x, dim=1)", True),
    ],
)
def test_softmax_without_dim_may_be_reported(code: str, may: bool) -> None:
    assert by_code("LL010").may_report_without_loss(facts(code)) is may


@pytest.mark.parametrize(
    ("code", "may"),
    [
        ("m = nn.Softmax(dim=1)", False),
        ("m = nn.Softmax(-1)", False),
        ("m = nn.Sigmoid()", False),
        ("m = nn.Sigmoid(x)", True),
        ("m = nn.Softmax(h)", True),
        ("m = nn.Softmax(1, dim=0)", True),
        ("m = nn.Softmax(input=h)", True),
        ("crit = nn.MSELoss()", True),  # a loss class: the analysis decides
    ],
)
def test_activation_class_given_data_may_be_reported(code: str, may: bool) -> None:
    assert by_code("LL011").may_report_without_loss(facts(code)) is may


def test_a_file_no_rule_can_report_in_is_not_parsed_by_libcst(monkeypatch) -> None:
    def refuse(data):
        raise AssertionError("parsed")

    monkeypatch.setattr(linter.cst, "parse_module", refuse)
    code = b"import math\nimport torch\n\ndef attend(q, k):\n    scale = math.log(2)\n"
    code += b"    return (q @ k).softmax(dim=-1) * scale\n"
    assert lint_bytes(code, "attention.py") == []


def test_an_alias_of_softmax_is_still_reported() -> None:
    code = b"import torch.nn.functional as F\n\nsm = F.softmax\n\ndef f(x):\n    return sm(x)\n"
    assert [d.code for d in lint_bytes(code, "alias.py")] == ["LL010"]


# ------------------------------------------------------- the same findings as before
class _KnowsNothing:
    """Facts that tell nothing: every file is analysed as the bytes alone decide."""

    def __init__(self, tree) -> None:
        pass

    def mentions(self, patterns) -> bool:
        return True

    def calls_of(self, names):
        return None

    def may_call_torch_log(self) -> bool:
        return True


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_findings_are_those_of_the_full_analysis(path: Path, monkeypatch) -> None:
    data = path.read_bytes()
    found = lint_bytes(data, path.name)
    monkeypatch.setattr(linter, "CodeFacts", _KnowsNothing)
    assert found == lint_bytes(data, path.name), "\n".join(map(format_text, found))


PROJECTS = corpus_projects()


@pytest.mark.parametrize("folder", PROJECTS, ids=[p.name for p in PROJECTS])
def test_corpus_findings_are_those_of_the_full_analysis(folder: Path, monkeypatch) -> None:
    found = lint_project(folder)
    monkeypatch.setattr(linter, "CodeFacts", _KnowsNothing)
    assert found == lint_project(folder), "\n".join(map(format_text, found))
