"""Fixes that change the loss itself (LL006, LL007, LL009, LL011) or what is kept (LL013),
and the log-space ones (LL004, LL005, LL008): when they are offered, and how safe."""

from __future__ import annotations

import textwrap

import pytest
from fix_harness import fix, has_check, lint

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"


def fixes(body: str, code: str):
    _needs(code)
    source = HEADER + textwrap.dedent(body)
    return [d.fix for d in lint(source.encode(), "t.py") if d.code == code]


def fixed(body: str, unsafe: bool = False, code: str = "") -> str:
    _needs(code)
    source = HEADER + textwrap.dedent(body)
    return fix(source.encode(), "t.py", unsafe).fixed.decode()[len(HEADER) :]


def _needs(code: str) -> None:
    if code and not has_check(code):
        pytest.skip(f"{code} has no check yet")


def test_ll006_criterion_used_by_another_call_is_unsafe() -> None:
    body = """\
    def f(z, y, p):
        criterion = nn.BCELoss()
        a = criterion(torch.sigmoid(z), y)
        b = criterion(p, y)
        return a + b
    """
    [fix_] = fixes(body, "LL006")
    assert not fix_.safe
    assert fixed(body, code="LL006") == textwrap.dedent(body)


def test_ll006_attribute_criterion_used_once_is_safe() -> None:
    body = """\
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 1)
            self.loss_fn = nn.BCELoss(weight=None)

        def step(self, x, y):
            return self.loss_fn(torch.sigmoid(self.fc(x)), y)
    """
    [fix_] = fixes(body, "LL006")
    assert fix_.safe
    out = fixed(body, code="LL006")
    assert "self.loss_fn = nn.BCEWithLogitsLoss(weight=None)" in out
    assert "return self.loss_fn(self.fc(x), y)" in out


def test_ll006_sigmoid_kept_for_predictions_is_still_safe() -> None:
    body = """\
    def f(z, y):
        p = torch.sigmoid(z)
        loss = F.binary_cross_entropy(p, y)
        return loss, p > 0.5
    """
    [fix_] = fixes(body, "LL006")
    assert fix_.safe
    assert "loss = F.binary_cross_entropy_with_logits(z, y)\n    return loss, p > 0.5" in fixed(
        body
    )


def test_ll007_is_always_unsafe() -> None:
    body = """\
    lin = nn.Linear(4, 1)


    def f(x, y):
        return nn.BCELoss()(lin(x), y)
    """
    [fix_] = fixes(body, "LL007")
    assert not fix_.safe
    assert "nn.BCEWithLogitsLoss()(lin(x), y)" in fixed(body, unsafe=True, code="LL007")


def test_ll009_legacy_flags_and_positional_options_get_no_fix() -> None:
    assert fixes("kl = nn.KLDivLoss(size_average=True)\n", "LL009") in ([None], [])
    assert fixes("kl = nn.KLDivLoss(None, None, 'mean')\n", "LL009") in ([None], [])


def test_ll009_single_line_gets_the_keyword_appended() -> None:
    assert fixed(code="LL009", body="kl = nn.KLDivLoss(log_target=True)\n") == (
        'kl = nn.KLDivLoss(log_target=True, reduction="batchmean")\n'
    )


def test_ll011_softmax_class_with_data_gets_no_fix_and_softmax2d_does() -> None:
    body = """\
    lin = nn.Linear(4, 3)


    def f(x):
        return nn.Softmax(lin(x)), nn.Softmax2d(lin(x))
    """
    found = fixes(body, "LL011")
    assert None in found or len(found) == 1
    assert "nn.Softmax(lin(x)), torch.softmax(lin(x), dim=-3)" in fixed(body, code="LL011")


def test_ll013_list_of_losses_is_unsafe() -> None:
    body = """\
    def train(model, batches):
        history = []
        for x, y in batches:
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            history.append(loss)
        return torch.stack(history).mean()
    """
    [fix_] = fixes(body, "LL013")
    assert not fix_.safe and fix_.edits[0].content == "loss.item()"


def test_ll013_total_returned_as_a_tensor_is_unsafe() -> None:
    body = """\
    def train(model, batches):
        total = 0
        for x, y in batches:
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            total += loss
        return total
    """
    [fix_] = fixes(body, "LL013")
    assert not fix_.safe


def test_ll013_parenthesizes_an_expression() -> None:
    body = """\
    def train(model, batches):
        total = 0
        for x, y in batches:
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            total = total + loss * 2
        print(total)
    """
    [fix_] = fixes(body, "LL013")
    assert fix_.safe and fix_.edits[0].content == "(loss * 2).item()"


def test_ll004_exp_of_log_softmax_drops_the_exp() -> None:
    body = "def f(x, y):\n    return F.nll_loss(torch.exp(F.log_softmax(x, dim=1)), y)\n"
    assert "F.nll_loss(F.log_softmax(x, dim=1), y)" in fixed(body, code="LL004")


def test_ll004_negated_nll_loss_fix_is_unsafe() -> None:
    """`-F.nll_loss(probs, y)` may be meant as the targets' mean probability: the fix
    would turn it into their log-likelihood, so it is not applied without --unsafe-fixes."""
    body = """\
    def log_likelihood(logits, actions):
        probs = F.softmax(logits, dim=-1)
        return -F.nll_loss(probs, actions)
    """
    [fix_] = fixes(body, "LL004")
    assert not fix_.safe
    assert fixed(body, code="LL004") == textwrap.dedent(body)
    assert "-F.nll_loss(F.log_softmax(logits, dim=-1), actions)" in fixed(
        body, unsafe=True, code="LL004"
    )


def test_ll004_plain_nll_loss_fix_stays_safe() -> None:
    body = "def f(x, y):\n    return F.nll_loss(F.softmax(x, dim=1), y, reduction='none')\n"
    [fix_] = fixes(body, "LL004")
    assert fix_.safe


def test_ll005_log_of_a_model_output_gets_no_fix() -> None:
    body = """\
    model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))


    def f(x, y):
        return F.nll_loss(torch.log(model(x)), y)
    """
    assert fixes(body, "LL005") == [None]


def test_ll005_epsilon_fix_is_unsafe() -> None:
    body = "def f(x, y):\n    return F.nll_loss(torch.log(F.softmax(x, 1) + 1e-9), y)\n"
    [fix_] = fixes(body, "LL005")
    assert not fix_.safe
    assert "F.nll_loss(F.log_softmax(x, 1), y)" in fixed(body, unsafe=True, code="LL005")


def test_ll005_module_activation_uses_its_literal_dim() -> None:
    body = """\
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.softmax = nn.Softmax(dim=-1)

        def step(self, h, y):
            return F.nll_loss(torch.log(self.softmax(h)), y)
    """
    assert "F.nll_loss(F.log_softmax(h, dim=-1), y)" in fixed(body, code="LL005")


LINEAR = "model = nn.Linear(4, 3)\n"


def test_ll015_swap_of_a_name_and_a_call_is_safe() -> None:
    body = LINEAR + (
        "def f(x, logits):\n    idx = logits.argmax(1)\n    return F.cross_entropy(idx, model(x))\n"
    )
    [fix_] = fixes(body, "LL015")
    assert fix_.safe
    assert "F.cross_entropy(model(x), idx)" in fixed(body, code="LL015")


def test_ll015_swap_of_two_calls_is_unsafe() -> None:
    body = LINEAR + "def f(x, y):\n    return F.cross_entropy(F.one_hot(y, 3).float(), model(x))\n"
    [fix_] = fixes(body, "LL015")
    assert not fix_.safe
    assert "F.cross_entropy(model(x), F.one_hot(y, 3).float())" in fixed(
        body, unsafe=True, code="LL015"
    )


def test_ll015_arguments_by_keyword_are_not_flagged() -> None:
    body = LINEAR + "def f(x, y):\n    return F.cross_entropy(input=y.argmax(1), target=model(x))\n"
    assert fixes(body, "LL015") == []
