"""When a fix is offered, how safe it is, and when none is (no fix beats a wrong one)."""

from __future__ import annotations

import textwrap

from losslint.fixes.rounds import fix_bytes
from losslint.linter import lint_bytes

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"


def fixes(body: str, code: str = "LL001"):
    source = HEADER + textwrap.dedent(body)
    return [d.fix for d in lint_bytes(source.encode(), "t.py") if d.code == code]


def fixed(body: str, unsafe: bool = False) -> str:
    source = HEADER + textwrap.dedent(body)
    return fix_bytes(source.encode(), "t.py", unsafe=unsafe).fixed.decode()[len(HEADER) :]


def test_nested_activation_is_removed_safely() -> None:
    [fix] = fixes("def f(x, y):\n    return F.cross_entropy(F.softmax(x, dim=1), y)\n")
    assert fix.safe and fix.description == "Remove `F.softmax`: pass `x` to the loss"


def test_method_activation_keeps_the_receiver() -> None:
    out = fixed("def f(x, y):\n    return F.cross_entropy(x.softmax(1), y)\n")
    assert "F.cross_entropy(x, y)" in out


def test_receiver_needing_parentheses_gets_them() -> None:
    out = fixed("def f(a, b, y):\n    return F.cross_entropy(F.softmax(a + b, 1).view(-1, 5), y)\n")
    assert "F.cross_entropy((a + b).view(-1, 5), y)" in out


def test_clamp_between_activation_and_loss_is_not_walked_through() -> None:
    assert fixes("def f(x, y):\n    return F.cross_entropy(F.softmax(x, 1).clamp(1e-6), y)\n") == [
        None
    ]


def test_variable_read_only_by_the_loss_is_removed() -> None:
    out = fixed(
        """\
        def f(x, y):
            probs = F.softmax(x, dim=1)
            return F.cross_entropy(probs, y)
        """
    )
    assert out == "def f(x, y):\n    return F.cross_entropy(x, y)\n"


def test_variable_read_elsewhere_stays() -> None:
    out = fixed(
        """\
        def f(x, y):
            probs = F.softmax(x, dim=1)
            loss = F.cross_entropy(probs, y)
            return loss, probs.argmax(1)
        """
    )
    assert "probs = F.softmax(x, dim=1)\n    loss = F.cross_entropy(x, y)" in out


def test_no_fix_when_the_input_is_rebound_in_between() -> None:
    assert fixes(
        """\
        def f(x, y):
            probs = F.softmax(x, dim=1)
            x = x * 2
            return F.cross_entropy(probs, y)
        """
    ) == [None]


def test_no_fix_when_a_loop_rebinds_the_input_before_the_use() -> None:
    assert fixes(
        """\
        def f(x, y, batches):
            probs = F.softmax(x, dim=1)
            for x in batches:
                loss = F.cross_entropy(probs, y)
            return loss
        """
    ) == [None]


def test_model_call_moves_only_into_the_next_statement() -> None:
    out = fixed(
        """\
        def f(model, x, y):
            probs = F.softmax(model(x), dim=1)
            return F.cross_entropy(probs, y)
        """
    )
    assert out == "def f(model, x, y):\n    return F.cross_entropy(model(x), y)\n"
    assert fixes(
        """\
        def f(model, x, y):
            probs = F.softmax(model(x), dim=1)
            print("step")
            return F.cross_entropy(probs, y)
        """
    ) == [None]


def test_model_call_is_never_evaluated_twice() -> None:
    assert fixes(
        """\
        def f(model, x, y):
            probs = F.softmax(model(x), dim=1)
            loss = F.cross_entropy(probs, y)
            return loss, probs
        """
    ) == [None]


def test_no_fix_inside_a_comprehension() -> None:
    assert fixes(
        """\
        def f(x, ys):
            probs = F.softmax(x, dim=1)
            return [F.cross_entropy(probs, y) for y in ys]
        """
    ) == [None]


def test_activation_applied_to_its_own_name() -> None:
    out = fixed(
        """\
        def f(scores, y):
            scores = F.softmax(scores, dim=1)
            return F.cross_entropy(scores, y)
        """
    )
    assert out == "def f(scores, y):\n    return F.cross_entropy(scores, y)\n"
    assert fixes(
        """\
        def f(scores, y):
            scores = F.softmax(scores, dim=1)
            return F.cross_entropy(scores, y), scores
        """
    ) == [None]


def test_two_branches_are_two_origins_and_get_no_fix() -> None:
    assert fixes(
        """\
        def f(x, y, flag):
            if flag:
                p = F.softmax(x, dim=1)
            else:
                p = torch.sigmoid(x)
            return F.cross_entropy(p, y)
        """
    ) == [None]


def test_comment_inside_the_removed_call_blocks_the_fix() -> None:
    assert fixes(
        """\
        def f(x, y):
            return F.cross_entropy(
                F.softmax(
                    x,  # keep me
                    dim=1,
                ),
                y,
            )
        """
    ) == [None]


def test_sequential_layer_removal_is_unsafe() -> None:
    body = """\
    model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))


    def f(x, y):
        return F.cross_entropy(model(x), y)
    """
    [fix] = fixes(body)
    assert not fix.safe
    assert fixed(body) == textwrap.dedent(body)  # not without --unsafe-fixes
    assert fixed(body, unsafe=True).startswith("model = nn.Sequential(nn.Linear(4, 3))\n")


def test_commented_last_layer_is_not_removed() -> None:
    assert fixes(
        """\
        model = nn.Sequential(
            nn.Linear(4, 3),
            nn.Softmax(dim=1),  # probabilities for the app
        )


        def f(x, y):
            return F.cross_entropy(model(x), y)
        """
    ) == [None]


def test_forward_with_two_returns_gets_no_fix() -> None:
    assert fixes(
        """\
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 3)
                self.act = nn.Softmax(dim=1)

            def forward(self, x, scale=None):
                if scale is not None:
                    return self.act(self.fc(x) * scale)
                return self.act(self.fc(x))


        def f(x, y):
            return F.cross_entropy(Net()(x), y)
        """
    ) in ([None], [])


def test_snippet_without_imports_uses_conventional_names() -> None:
    source = b"loss = F.cross_entropy(torch.softmax(logits, 1), target)\n"
    assert fix_bytes(source, "cell.py").fixed == b"loss = F.cross_entropy(logits, target)\n"


def test_bce_with_logits_sigmoid_is_dropped() -> None:
    body = "def f(z, y):\n    return F.binary_cross_entropy_with_logits(torch.sigmoid(z), y)\n"
    [fix] = fixes(body, "LL002")
    assert fix.safe
    assert "binary_cross_entropy_with_logits(z, y)" in fixed(body)


def test_noqa_finding_gets_no_fix_applied() -> None:
    body = "def f(x, y):\n    return F.cross_entropy(F.softmax(x, 1), y)  # noqa: LL001\n"
    assert fixed(body) == body
