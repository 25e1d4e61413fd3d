"""The rule pages and the fixer agree on what is safe.

Each case is a shape of code a page's "Fix safety" section speaks of: the page must
say it (the quoted words), and the fixer must do it (safe, unsafe, or no fix).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from losslint.fixes.rounds import fix_bytes
from losslint.linter import lint_bytes

PAGES = Path(__file__).resolve().parents[2] / "rules"
HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"

MODEL_RETURNING = """\
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.act = nn.{module}

    def forward(self, x):
        {body}


model = Net()
"""

# code: (page's words, source, "safe" / "unsafe" / None, text the fixed source holds)
CASES = {
    "LL004-variable-only-the-loss-reads-at-its-assignment": (
        "is rewritten at its\nassignment instead",
        "def f(logits, y, t):\n    probs = F.softmax(logits / t, dim=1)\n"
        "    t = t * 2\n    return F.nll_loss(probs, y)\n",
        "safe",
        "probs = F.log_softmax(logits / t, dim=1)",
    ),
    "LL004-softmax-layer-in-a-model": (
        "becomes `nn.LogSoftmax`:\nunsafe",
        "model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n\n\n"
        "def f(x, y):\n    return nn.NLLLoss()(model(x), y)\n",
        "unsafe",
        "nn.LogSoftmax(dim=1)",
    ),
    "LL008-variable-only-the-loss-reads-at-its-assignment": (
        "is rewritten at its assignment instead",
        "def f(s, t, T):\n    p = F.softmax(s / T, dim=1)\n    q = F.softmax(t / T, dim=1)\n"
        "    return F.kl_div(p, q, reduction='batchmean')\n",
        "safe",
        "p = F.log_softmax(s / T, dim=1)",
    ),
    "LL008-softmax-layer-in-the-student": (
        "becomes\n`nn.LogSoftmax` only as an unsafe fix",
        "student = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n\n\n"
        "def f(x, q):\n    return F.kl_div(student(x), q, reduction='batchmean')\n",
        "unsafe",
        "nn.LogSoftmax(dim=1)",
    ),
    "LL005-epsilon-dropped": (
        "offered as unsafe there",
        "def f(logits, y):\n    return F.nll_loss(torch.log(F.softmax(logits, dim=1) + 1e-8), y)\n",
        "unsafe",
        "F.nll_loss(F.log_softmax(logits, dim=1), y)",
    ),
    "LL005-log-of-a-model-output": (
        "gets no fix",
        "model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n\n\n"
        "def f(x, y):\n    return F.nll_loss(torch.log(model(x)), y)\n",
        None,
        "",
    ),
    "LL006-variable-read-elsewhere": (
        "a variable that other code reads keeps its probabilities",
        "def f(z, y):\n    probs = torch.sigmoid(z)\n    accuracy = ((probs > 0.5) == y).float()\n"
        "    return F.binary_cross_entropy(probs, y), accuracy\n",
        "safe",
        "F.binary_cross_entropy_with_logits(z, y)",
    ),
    "LL006-sigmoid-inside-the-model": (
        "the fix takes it\nout of the model",
        "model = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\ncriterion = nn.BCELoss()\n\n\n"
        "def f(x, y):\n    return criterion(model(x), y)\n",
        "unsafe",
        "nn.BCEWithLogitsLoss()",
    ),
    "LL006-criterion-called-elsewhere": (
        "criterion object is called elsewhere",
        "criterion = nn.BCELoss()\n\n\n"
        "def f(z, y, p):\n    return criterion(torch.sigmoid(z), y) + criterion(p, y)\n",
        "unsafe",
        "nn.BCEWithLogitsLoss()",
    ),
    "LL001-functional-softmax-returned-by-forward": (
        "or `return F.softmax(h, dim=1)`, the fix is **unsafe**",
        MODEL_RETURNING.format(module="Softmax(dim=1)", body="return F.softmax(self.fc(x), dim=1)")
        + "\n\ndef f(x, y):\n    return nn.CrossEntropyLoss()(model(x), y)\n",
        "unsafe",
        "return self.fc(x)",
    ),
    "LL001-softmax-module-returned-by-forward": (
        "`forward` ends in\n`return self.softmax(h)`",
        MODEL_RETURNING.format(module="Softmax(dim=1)", body="return self.act(self.fc(x))")
        + "\n\ndef f(x, y):\n    return nn.CrossEntropyLoss()(model(x), y)\n",
        "unsafe",
        "return self.fc(x)",
    ),
}


def _said(words: str, code: str) -> bool:
    page = (PAGES / f"{code}.md").read_text("utf-8")
    text = page[page.index("## Fix safety") :].split("\n## ", 2)[0]
    squash = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731
    return squash(words) in squash(text)


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_and_fixer_agree(name: str) -> None:
    code = name.split("-", 1)[0]
    words, body, safety, fixed_text = CASES[name]
    assert _said(words, code), f"the {code} page does not say: {words!r}"
    source = (HEAD + body).encode()
    found = [d for d in lint_bytes(source, "case.py") if d.code == code]
    assert len(found) == 1, found
    fix = found[0].fix
    if safety is None:
        assert fix is None
        return
    assert fix is not None, f"{name}: no fix"
    assert ("safe" if fix.safe else "unsafe") == safety
    result = fix_bytes(source, "case.py", unsafe=True)
    assert fixed_text in result.fixed.decode(), result.fixed.decode()
    assert not [d for d in result.remaining if d.code == code]
