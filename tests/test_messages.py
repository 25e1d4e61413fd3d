"""What messages claim: only what the analysis knows."""

from __future__ import annotations

import textwrap

from losslint.linter import lint_bytes


def _messages(code: str, body: str) -> list[str]:
    source = textwrap.dedent(body).encode()
    return [d.message for d in lint_bytes(source, "train.py") if d.code == code]


def test_ll010_states_the_rule_not_a_rank() -> None:
    """A 2-D input's implicit dim is 1, which is right: the message must not say that
    the batch is normalised; it says torch's rule for every rank."""
    body = """\
    import torch
    import torch.nn.functional as F

    scores = torch.randn(4, 10)
    probs = F.softmax(scores)
    frames = torch.randn(2, 7, 10)
    per_frame = F.softmax(frames)
    """
    messages = _messages("LL010", body)
    assert len(messages) == 2
    for message in messages:
        assert "3-D input: the batch)" not in message
        assert "dim 0 for 0-, 1- and 3-D inputs" in message
        assert "dim 1 otherwise" in message
