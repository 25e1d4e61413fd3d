"""Correct library code stays silent, and what the libraries' test suites showed missing.

Each silent case is the idiom as a public library writes it (issue 15: the tracer
run over the loss tests of segmentation-models-pytorch, pytorch-toolbelt, MONAI and
pytorch-metric-learning); each gap is a misuse the tracer documents and missed.
"""

from __future__ import annotations

import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from tracer_loops import CLASSES, classifier, codes, collect, fit

from losslint.tracer import LossMisuseError, trace
from losslint.tracer.session import STATE

# -- false findings: each must stay silent ---------------------------------------------


def _soft_bce_with_logits(logits, y_true, ignore_index=-100, smooth_factor=0.2):
    """segmentation-models-pytorch / pytorch-toolbelt ``SoftBCEWithLogitsLoss.forward``."""
    soft_targets = (1 - y_true) * smooth_factor + y_true * (1 - smooth_factor)
    loss = F.binary_cross_entropy_with_logits(logits, soft_targets, reduction="none")
    loss = loss * (y_true != ignore_index).type_as(loss)
    return loss.mean()


def test_bce_per_element_then_masked_sentinel_is_silent():
    logits = torch.randn(2, 1, 8, 8, requires_grad=True)
    target = (torch.rand(2, 1, 8, 8) > 0.5).float()
    target[:, :, :2] = -100  # smoothed to -79.9: one repeated sentinel
    assert codes(collect(lambda: _soft_bce_with_logits(logits, target).backward())) == []


def test_bce_per_element_with_targets_spread_out_of_range_is_reported():
    logits = torch.randn(4, 6, requires_grad=True)
    target = torch.randint(0, 3, (4, 6)).float() * 100  # 0, 100, 200: not one sentinel
    found = collect(lambda: F.binary_cross_entropy_with_logits(logits, target, reduction="none"))
    assert codes(found) == ["LL014"]


def test_bce_reduced_by_the_loss_with_a_sentinel_is_reported():
    logits = torch.randn(4, 6, requires_grad=True)
    target = (torch.rand(4, 6) > 0.5).float()
    target[0] = -100  # reduced by the loss itself: the sentinel is averaged in
    assert codes(collect(lambda: F.binary_cross_entropy_with_logits(logits, target))) == ["LL014"]


def test_cross_entropy_of_hand_written_one_hot_logits_is_silent():
    # MONAI's tests: exact 0/1 rows sum to 1, but no softmax returns them.
    y = torch.randint(0, 5, (16,))
    with torch.no_grad():
        found = collect(lambda: F.cross_entropy(F.one_hot(y, 5).float(), y))
    assert codes(found) == []


def test_cross_entropy_of_softmax_rows_without_graph_is_still_reported():
    with torch.no_grad():
        probs = torch.randn(16, 5).softmax(1)
        found = collect(lambda: F.cross_entropy(probs, torch.randint(0, 5, (16,))))
    assert codes(found) == ["LL001"]


def test_saturated_probabilities_never_quote_a_clamped_corrected_loss():
    # A softmax whose rows saturate to exact 0s: log(0) has no logit to recover.
    logits = torch.tensor([[200.0, 0.0, 0.0, 0.5]] * 4, requires_grad=True)
    found = collect(lambda: F.cross_entropy(logits.softmax(1), torch.tensor([0, 1, 2, 3])))
    assert codes(found) == ["LL001"]
    assert "from the logits" not in found[0].message


class _P2SGrad(nn.Module):
    """pytorch-metric-learning ``P2SGradLoss``: MSE between cosines and one-hot targets."""

    def __init__(self, features: int, classes: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(features, classes))
        self.m_loss = nn.MSELoss()

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        weight = F.normalize(self.weight, dim=0)
        cos_theta = embeddings.mm(weight) / embeddings.norm(dim=1, keepdim=True)
        cos_theta = cos_theta.clamp(-1, 1)
        index = torch.zeros_like(cos_theta).scatter_(1, labels.view(-1, 1), 1)
        return self.m_loss(cos_theta, index)


def test_mse_between_cosines_and_one_hot_by_design_is_silent():
    loss = _P2SGrad(8, CLASSES)
    embeddings = torch.randn(16, 8, requires_grad=True)
    found = collect(lambda: loss(embeddings, torch.randint(0, CLASSES, (16,))).backward())
    assert codes(found) == []


def test_mse_between_two_softmax_outputs_is_a_consistency_loss():
    student, teacher = classifier(torch.device("cpu")), classifier(torch.device("cpu"))

    def mean_teacher(out: torch.Tensor, _: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            target = F.softmax(teacher(out.new_ones(out.shape[0], 8)), 1)
        return F.mse_loss(F.softmax(out, 1), target)

    def attention_transfer(out: torch.Tensor, _: torch.Tensor) -> torch.Tensor:
        target = F.softmax(teacher(out.new_ones(out.shape[0], 8)), 1)  # with a graph
        return F.mse_loss(F.softmax(out, 1), target)

    cpu = torch.device("cpu")
    assert codes(collect(lambda: fit(student, mean_teacher, cpu))) == []
    assert codes(collect(lambda: fit(student, attention_transfer, cpu))) == []


def test_mse_of_softmax_against_a_non_distribution_is_still_reported():
    out = torch.randn(16, CLASSES, requires_grad=True)
    found = collect(lambda: F.mse_loss(out.softmax(1), torch.randn(16, CLASSES)))
    assert codes(found) == ["LL003"]
    assert "CrossEntropyLoss on the logits" not in found[0].message.split("; ")[-2]


def test_mse_on_one_hot_quotes_cross_entropy_only_for_logits():
    model = classifier(torch.device("cpu"))
    found = collect(lambda: fit(model, nn.MSELoss(), torch.device("cpu"), kind="onehot"))
    assert codes(found) == ["LL003"]
    assert "with CrossEntropyLoss on the logits" in found[0].message


def test_bce_of_a_mixture_of_probabilities_is_silent():
    # A convex mixture: per-part sigmoids weighted by a softmax over parts (bmm/einsum).
    a = torch.randn(4, 3, 5, requires_grad=True)
    w = torch.randn(4, 1, 3, requires_grad=True)
    target = (torch.rand(4, 1, 5) > 0.5).float()

    def run() -> None:
        mixed = torch.bmm(w.softmax(-1), torch.sigmoid(a))
        F.binary_cross_entropy(mixed, target).backward()
        mixed = torch.einsum("bkp,bpc->bkc", w.softmax(-1), torch.sigmoid(a))
        nn.BCELoss()(mixed.clamp(0, 1), target).backward()

    assert codes(collect(run)) == []


def test_bce_of_a_bias_free_linear_layer_is_still_reported():
    layer = nn.Linear(8, 4, bias=False)
    with torch.no_grad():
        layer.weight.fill_(0.05)  # outputs inside (0, 1): only the graph can tell
    x, target = torch.rand(16, 8), (torch.rand(16, 4) > 0.5).float()
    found = collect(lambda: F.binary_cross_entropy(layer(x), target))
    assert codes(found) == ["LL007"]
    assert "MmBackward0" in found[0].message


def test_negated_per_element_nll_of_probabilities_is_a_gather():
    # Generalised cross-entropy: -nll_loss(p, y, reduction="none") picks p[y].
    logits = torch.randn(16, CLASSES, requires_grad=True)
    y = torch.randint(0, CLASSES, (16,))

    def gce(q: float = 0.7) -> torch.Tensor:
        p_y = -F.nll_loss(logits.softmax(1), y, reduction="none")
        return ((1 - p_y**q) / q).mean()

    assert codes(collect(lambda: gce().backward())) == []


def test_nll_of_probabilities_not_negated_is_still_reported():
    logits = torch.randn(16, CLASSES, requires_grad=True)
    y = torch.randint(0, CLASSES, (16,))
    found = collect(lambda: F.nll_loss(logits.softmax(1), y, reduction="none").mean())
    assert codes(found) == ["LL004"]


# -- gaps: each must be reported --------------------------------------------------------


def _masks(batches: int, bad_from: int) -> list[torch.Tensor]:
    """Segmentation masks stored 0/1, then 0/255 from batch ``bad_from`` on."""
    generator = torch.Generator().manual_seed(0)
    masks = [(torch.rand(2, 1, 8, 8, generator=generator) > 0.5).float() for _ in range(batches)]
    return [m * 255 if i >= bad_from else m for i, m in enumerate(masks)]


def test_late_bad_batch_is_reported_at_the_end_of_the_run():
    conv = nn.Conv2d(1, 1, 1)
    criterion = nn.BCEWithLogitsLoss()

    def run() -> None:
        for mask in _masks(8, bad_from=6):
            criterion(conv(mask.clamp(0, 1)), mask).backward()

    found = collect(run)
    assert codes(found) == ["LL014"]
    assert "max 255" in found[0].message and "after the first 3" in found[0].message


def test_late_bad_batch_is_reported_at_a_fold_without_waiting_for_the_end():
    from losslint.tracer.watch import FOLD_EVERY

    logits = torch.randn(4, CLASSES, requires_grad=True)
    seen: list[int] = []

    def run() -> None:
        for step in range(3 + FOLD_EVERY):
            y = torch.rand(4, CLASSES)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                F.binary_cross_entropy_with_logits(logits, y * 255 if step == 5 else y)
            if caught:
                seen.append(step)
                warnings.warn(caught[0].message, stacklevel=1)

    found = collect(run)
    assert codes(found) == ["LL014"]
    assert seen == [3 + FOLD_EVERY - 1]  # on CPU, judged when the queue is folded


def test_late_class_index_out_of_range_is_reported_before_torch_raises():
    logits = torch.randn(4, CLASSES, requires_grad=True)

    def run() -> None:
        with pytest.raises(IndexError):
            for step in range(8):
                y = torch.randint(0, CLASSES, (4,))
                if step == 6:
                    y[0] = 255
                F.cross_entropy(logits, y)

    found = collect(run)
    assert codes(found) == ["LL014"]
    assert "outside [0, 4)" in found[0].message and "max 255" in found[0].message


def test_late_targets_in_range_or_ignored_stay_silent():
    logits = torch.randn(4, CLASSES, requires_grad=True)

    def run() -> None:
        for step in range(50):
            y = torch.randint(0, CLASSES, (4,))
            if step % 7 == 0:
                y[1] = -100  # ignore_index
            F.cross_entropy(logits, y)
            F.binary_cross_entropy_with_logits(logits, torch.rand(4, CLASSES))

    assert codes(collect(run)) == []


def test_late_bad_batch_fails_a_strict_run_at_its_end():
    logits = torch.randn(4, CLASSES, requires_grad=True)
    with pytest.raises(LossMisuseError, match="LL014"):
        with trace(strict=True, summary=False):
            for step in range(6):
                y = torch.rand(4, CLASSES)
                F.binary_cross_entropy_with_logits(logits, y * (2 if step == 5 else 1))


def test_functorch_transforms_report_what_the_graph_proves():
    from torch.func import grad, vmap

    weight = torch.randn(8, CLASSES)

    def loss(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy((x @ w).softmax(-1).unsqueeze(0), y.unsqueeze(0))

    x, y = torch.randn(5, 8), torch.randint(0, CLASSES, (5,))
    found = collect(lambda: vmap(grad(loss), in_dims=(None, 0, 0))(weight, x, y))
    assert codes(found) == ["LL001"]
    assert "softmax output" in found[0].message


def test_double_softmax_message_states_the_floor_of_the_loss():
    logits = torch.zeros(16, 10, requires_grad=True)  # initialisation: uniform outputs
    found = collect(lambda: F.cross_entropy(logits.softmax(1), torch.randint(0, 10, (16,))))
    assert codes(found) == ["LL001"]
    floor = math.log1p(9 / math.e)
    assert f"with 10 classes this loss can never go below {floor:.2f}" in found[0].message
    assert f"{floor:.2f}" == "1.46"


def test_compiled_model_ending_in_softmax_is_caught_by_values():
    model = torch.compile(classifier(torch.device("cpu"), nn.Softmax(dim=1)), backend="aot_eager")
    cpu = torch.device("cpu")
    found = collect(lambda: fit(model, nn.BCEWithLogitsLoss(), cpu, kind="multilabel"))
    assert codes(found) == ["LL002"]
    STATE.reset_sites()  # the same line of `fit`, checked afresh
    found = collect(lambda: fit(model, nn.CrossEntropyLoss(), cpu))
    assert codes(found) == ["LL001"]


def test_late_watch_belongs_to_its_loss_not_to_a_shared_helper_line():
    cpu = torch.device("cpu")
    model = classifier(cpu)
    # One line of `fit` runs BCE first, then cross-entropy with class indices 0..3.
    found = collect(lambda: fit(model, nn.BCEWithLogitsLoss(), cpu, steps=5, kind="multilabel"))
    found += collect(lambda: fit(model, nn.CrossEntropyLoss(), cpu, steps=5))
    assert codes(found) == []


LATE_TEST_FILE = """
import torch
import torch.nn.functional as F


def test_masks_turn_0_255_at_batch_6():
    logits = torch.zeros(4, 3, requires_grad=True)
    for step in range(8):
        mask = (torch.rand(4, 3) > 0.5).float()
        F.binary_cross_entropy_with_logits(logits, mask * 255 if step >= 5 else mask)


def test_clean():
    F.binary_cross_entropy_with_logits(torch.zeros(4, 3), torch.ones(4, 3))
"""


@pytest.mark.parametrize("option", ["--losslint-trace", "--losslint-strict"])
def test_pytest_plugin_judges_late_batches_when_their_test_ends(tmp_path, option):
    import subprocess
    import sys

    from test_tracer_entry_points import _env, _pytest_args

    (tmp_path / "test_late.py").write_text(LATE_TEST_FILE)
    result = subprocess.run(
        [sys.executable, *_pytest_args(option, "test_late.py")],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    late = "LL014 `binary_cross_entropy_with_logits` target has values outside [0, 1] in the calls"
    assert late in result.stdout, result.stdout + result.stderr
    if option == "--losslint-strict":
        assert "1 failed, 1 passed" in result.stdout, result.stdout
        assert "FAILED test_late.py::test_masks_turn_0_255_at_batch_6" in result.stdout
    else:
        assert result.returncode == 0, result.stdout
