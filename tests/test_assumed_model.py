"""A model (or criterion) nobody in sight binds is taken to be the file's only one,
and the message says so."""

from __future__ import annotations

from pathlib import Path

from corpus_tools import lint_project

CORPUS = Path(__file__).parent / "corpus"


def test_the_message_names_the_assumed_model() -> None:
    (finding,) = lint_project(CORPUS / "unbound_model_imported")
    assert finding.message.startswith(
        "`output` is probabilities (softmax at model.py:17, returned by DigitNet.forward)"
        " — assuming `model` is a `DigitNet`, the only model defined in model.py;"
    )


def test_the_message_names_the_assumed_criterion() -> None:
    (finding,) = lint_project(CORPUS / "unbound_criterion_one_loss")
    assert finding.message.endswith(
        "(assuming `criterion` is the CrossEntropyLoss built at loops.py:8,"
        " the only loss built in loops.py)"
    )
