"""The rule catalog: every public code, its name and one-line summary.

This is the single list both detectors (static linter and runtime tracer) and
every output format read codes and names from. The long form of each rule is
its Markdown page in ``rules/`` (shipped inside the wheel as ``losslint/rules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DOCS_URL = "https://github.com/losslint/losslint/blob/main/rules/{code}.md"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    static: bool = True  # checked by the static linter
    runtime: bool = False  # checked by the runtime tracer

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)


RULES: tuple[Rule, ...] = (
    Rule("LL000", "unparsable-file", "a file that could not be read or parsed"),
    Rule(
        "LL001",
        "probabilities-into-cross-entropy",
        "softmax/sigmoid output passed as input to CrossEntropyLoss",
        runtime=True,
    ),
    Rule(
        "LL002",
        "probabilities-into-bce-with-logits",
        "sigmoid/softmax output passed to BCEWithLogitsLoss",
        runtime=True,
    ),
    Rule(
        "LL003",
        "regression-loss-on-classification",
        "MSE/L1/Huber loss on softmax probabilities, one-hot or class-index targets",
        runtime=True,
    ),
    Rule(
        "LL004",
        "probabilities-into-nll",
        "softmax output passed to NLLLoss, which expects log-probabilities",
        runtime=True,
    ),
    Rule("LL005", "log-of-probabilities", "log of a softmax or sigmoid output"),
    Rule(
        "LL006",
        "sigmoid-then-bce",
        "sigmoid output into BCELoss instead of BCEWithLogitsLoss on the logits",
        runtime=True,
    ),
    Rule(
        "LL007",
        "logits-into-bce",
        "BCELoss given an unbounded value (logits)",
        runtime=True,
    ),
    Rule(
        "LL008",
        "probabilities-into-kl-div",
        "KLDivLoss input is probabilities, not log-probabilities",
        runtime=True,
    ),
    Rule(
        "LL009",
        "kl-div-mean-reduction",
        "KLDivLoss with reduction='mean' does not compute the KL divergence",
        runtime=True,
    ),
    Rule("LL010", "softmax-implicit-dim", "softmax/log_softmax without an explicit dim"),
    Rule(
        "LL011",
        "module-called-with-data",
        "a loss or activation class constructed with tensors instead of called",
    ),
    Rule(
        "LL012",
        "model-criterion-mismatch",
        "a model returning probabilities built next to a criterion expecting logits",
    ),
    Rule(
        "LL013",
        "loss-kept-with-graph",
        "a loss tensor accumulated across iterations keeps its autograd graph",
    ),
    Rule(
        "LL014",
        "target-out-of-range",
        "loss targets outside the range the loss is defined on",
        static=False,
        runtime=True,
    ),
    Rule(
        "LL015",
        "input-and-target-swapped",
        "a loss given the target first and the model's prediction second",
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def rule_page_dir() -> Path:
    """Where the rule pages live: inside the installed package, or the source tree."""
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def rule_page(code: str) -> str:
    """The Markdown page of ``code``; raises KeyError for an unknown code."""
    rule = BY_CODE[code.upper()]
    return (rule_page_dir() / f"{rule.code}.md").read_text(encoding="utf-8")
