"""Every runtime check fires on a small training loop with the bug, and only there."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from tracer_loops import CLASSES, classifier, codes, collect, evaluate, fit

# -- the bugs: each loop must produce exactly the listed codes ----------------------------


def test_ll001_softmax_model_into_cross_entropy_loss(device):
    model = classifier(device, nn.Softmax(dim=1))
    criterion = nn.CrossEntropyLoss()
    found = collect(lambda: fit(model, criterion, device))
    assert codes(found) == ["LL001"]
    assert "softmax output" in found[0].message


def test_ll001_exp_of_log_softmax_into_functional_cross_entropy(device):
    model = classifier(device)
    found = collect(
        lambda: fit(model, lambda o, y: F.cross_entropy(o.log_softmax(1).exp(), y), device)
    )
    assert codes(found) == ["LL001"]
    assert "exp of log_softmax" in found[0].message


def test_ll001_sigmoid_into_cross_entropy(device):
    model = classifier(device, nn.Sigmoid())
    found = collect(lambda: fit(model, nn.CrossEntropyLoss(), device))
    assert codes(found) == ["LL001"]


def test_ll001_message_shows_observed_and_corrected_loss(device):
    model = classifier(device, nn.Softmax(dim=1))
    found = collect(lambda: fit(model, nn.CrossEntropyLoss(), device, steps=1))
    (warning,) = found
    observed = float(warning.message.split("loss ")[1].split(" ")[0])
    corrected = float(warning.message.split("; ")[1].split(" ")[0])
    torch.manual_seed(0)
    fresh = classifier(device)  # same seed: the same weights without the softmax
    x, y = next(iter(__import__("tracer_loops").batches(device, 1)))
    with torch.no_grad():
        logits = fresh(x)
    assert observed == pytest.approx(float(F.cross_entropy(logits.softmax(1), y)), abs=0.01)
    assert corrected == pytest.approx(float(F.cross_entropy(logits, y)), abs=0.01)
    assert "with probabilities" in warning.message and "from the logits" in warning.message


def test_ll001_from_values_in_eval_loop_without_graph(device):
    model = classifier(device, nn.Softmax(dim=1))
    found = collect(lambda: evaluate(model, F.cross_entropy, device))
    assert codes(found) == ["LL001"]
    assert "every row in [0, 1] summing to 1" in found[0].message


def test_ll002_sigmoid_into_bce_with_logits(device):
    model = classifier(device, nn.Sigmoid())
    found = collect(lambda: fit(model, nn.BCEWithLogitsLoss(), device, kind="multilabel"))
    assert codes(found) == ["LL002"]


def test_ll002_softmax_rows_by_value_without_graph(device):
    model = classifier(device, nn.Softmax(dim=1))
    found = collect(
        lambda: evaluate(model, F.binary_cross_entropy_with_logits, device, kind="multilabel")
    )
    assert codes(found) == ["LL002"]


def test_ll003_mse_on_one_hot_targets(device):
    model = classifier(device)
    found = collect(lambda: fit(model, nn.MSELoss(), device, kind="onehot"))
    assert codes(found) == ["LL003"]
    assert "one-hot" in found[0].message


def test_ll003_regression_loss_on_softmax_output(device):
    model = classifier(device, nn.Softmax(dim=1))
    found = collect(lambda: fit(model, F.smooth_l1_loss, device, kind="onehot"))
    assert codes(found) == ["LL003"]
    assert "softmax output" in found[0].message and "one-hot" in found[0].message


def test_ll003_class_index_targets(device):
    model = classifier(device)

    def run() -> None:
        with pytest.raises(RuntimeError):  # torch cannot broadcast (32, 4) against (32,)
            fit(model, lambda o, y: F.l1_loss(o, y), device)

    assert codes(collect(run)) == ["LL003"]


def test_ll004_softmax_into_nll_loss(device):
    model = classifier(device, nn.Softmax(dim=1))
    found = collect(lambda: fit(model, nn.NLLLoss(), device))
    assert codes(found) == ["LL004"]
    assert "log_softmax" in found[0].message


def test_ll004_from_values_without_graph(device):
    model = classifier(device, nn.Softmax(dim=1))
    assert codes(collect(lambda: evaluate(model, F.nll_loss, device))) == ["LL004"]


def test_ll006_only_for_bce_after_sigmoid(device):
    model = classifier(device, nn.Sigmoid())
    found = collect(lambda: fit(model, nn.BCELoss(), device, kind="multilabel"))
    assert codes(found) == ["LL006"]


def test_ll007_linear_output_into_bce_even_when_torch_accepts_it(device):
    model = nn.Linear(8, CLASSES).to(device)
    with torch.no_grad():  # outputs near 0.5: torch's own range check stays silent
        model.weight.mul_(0.01)
        model.bias.fill_(0.5)
    found = collect(lambda: fit(model, F.binary_cross_entropy, device, kind="multilabel", lr=0.01))
    assert codes(found) == ["LL007"]
    assert "AddmmBackward0" in found[0].message


def test_ll007_unbounded_values_are_reported_before_torch_raises(device):
    model = classifier(device)
    if device.type == "cuda":
        pytest.skip("an out-of-range BCE input is a device-side assert on CUDA")

    def run() -> None:
        with pytest.raises(RuntimeError, match="between 0 and 1"):
            evaluate(model, F.binary_cross_entropy, device, kind="multilabel")

    found = collect(run)
    assert codes(found) == ["LL007"]
    assert "values in [" in found[0].message


def test_ll008_softmax_into_kl_div_distillation(device):
    student, teacher = classifier(device), classifier(device)
    kl = nn.KLDivLoss(reduction="batchmean")

    def distill(out: torch.Tensor, _: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            target = teacher(out.new_ones(out.shape[0], 8)).softmax(1)
        return kl(out.softmax(1), target)

    found = collect(lambda: fit(student, distill, device))
    assert codes(found) == ["LL008"]


def test_ll009_kl_div_default_mean_reduction(device):
    model = classifier(device)
    target = torch.full((32, CLASSES), 1 / CLASSES, device=device)
    found = collect(lambda: fit(model, lambda o, _: F.kl_div(o.log_softmax(1), target), device))
    assert codes(found) == ["LL009"]
    assert "batchmean" in found[0].message


def test_ll014_class_index_out_of_range(device):
    if device.type == "cuda":
        pytest.skip("an out-of-range class index is a device-side assert on CUDA")
    model = classifier(device)

    def run() -> None:
        with pytest.raises(IndexError):
            fit(model, lambda o, y: F.cross_entropy(o, y + CLASSES), device)

    found = collect(run)
    assert codes(found) == ["LL014"]
    assert f"outside [0, {CLASSES})" in found[0].message


def test_ll014_bce_targets_outside_zero_one(device):
    model = classifier(device)
    found = collect(
        lambda: fit(
            model,
            lambda o, y: F.binary_cross_entropy_with_logits(o, 2 * y - 1),
            device,
            kind="multilabel",
        )
    )
    assert codes(found) == ["LL014"]


def test_ll014_soft_targets_not_summing_to_one(device):
    model = classifier(device)
    found = collect(lambda: fit(model, nn.CrossEntropyLoss(), device, kind="multilabel"))
    assert codes(found) == ["LL014"]
    assert "BCEWithLogitsLoss" in found[0].message


# -- the correct loops: silent ------------------------------------------------------------


def _mixup_targets(y: torch.Tensor) -> torch.Tensor:
    one_hot = F.one_hot(y, CLASSES).float()
    return 0.7 * one_hot + 0.3 * one_hot.roll(1, dims=0)


def _accuracy_after_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    loss = F.cross_entropy(out, y)
    _ = (out.softmax(dim=1).argmax(1) == y).float().mean()
    return loss


def _sigmoid_autoencoder(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.mse_loss(torch.sigmoid(out), y)


CLEAN = {
    "cross_entropy_on_logits": (lambda: nn.CrossEntropyLoss(), "index", ()),
    "soft_targets": (lambda: lambda o, y: F.cross_entropy(o, _mixup_targets(y)), "index", ()),
    "label_smoothing": (lambda: nn.CrossEntropyLoss(label_smoothing=0.1), "index", ()),
    "softmax_for_accuracy_after_loss": (lambda: _accuracy_after_loss, "index", ()),
    "bce_with_logits": (lambda: nn.BCEWithLogitsLoss(), "multilabel", ()),
    "nll_on_log_softmax": (lambda: nn.NLLLoss(), "index", (nn.LogSoftmax(dim=1),)),
    "kl_div_batchmean_log_softmax": (
        lambda: (
            lambda o, _: F.kl_div(
                o.log_softmax(1), torch.full_like(o, 1 / CLASSES), reduction="batchmean"
            )
        ),
        "index",
        (),
    ),
    "mse_on_sigmoid_outputs": (lambda: _sigmoid_autoencoder, "multilabel", ()),
    "ignore_index_padding": (
        lambda: lambda o, y: F.cross_entropy(o, torch.where(y == 0, -100, y)),
        "index",
        (),
    ),
    "relu_logits": (lambda: nn.CrossEntropyLoss(), "index", (nn.ReLU(),)),
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_correct_training_loop_is_silent(device, name):
    make_loss, kind, tail = CLEAN[name]
    model = classifier(device, *tail)
    assert codes(collect(lambda: fit(model, make_loss(), device, kind=kind))) == []


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_correct_eval_loop_under_no_grad_is_silent(device, name):
    make_loss, kind, tail = CLEAN[name]
    model = classifier(device, *tail)
    assert codes(collect(lambda: evaluate(model, make_loss(), device, kind=kind))) == []


def test_binary_regression_targets_are_not_mistaken_for_one_hot(device):
    # 1-D 0/1 targets with a single 1, and one-row "one-hot" targets: not classification.
    out = torch.randn(4, device=device, requires_grad=True)
    row = torch.randn(1, 3, device=device, requires_grad=True)

    def run() -> None:
        F.mse_loss(out, torch.tensor([0.0, 1.0, 0.0, 0.0], device=device))
        F.l1_loss(row, torch.tensor([[0.0, 1.0, 0.0]], device=device))

    assert codes(collect(run)) == []


def test_ll014_nll_class_index_out_of_range():
    log_probs = torch.randn(8, CLASSES).log_softmax(1)

    def run() -> None:
        with pytest.raises(IndexError):
            F.nll_loss(log_probs, torch.full((8,), CLASSES))

    assert codes(collect(run)) == ["LL014"]
