"""nn.Module wrappers: each is its function, takes its torch namesake's arguments, and
keeps its tensors as buffers that follow ``.to()`` and the ``state_dict``."""

from __future__ import annotations

import inspect

import pytest
import torch
from torch import nn

import losslint.losses as L

TORCH_NAMESAKES = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
    "TripletMarginLoss",
]


def _parameters(fn) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", TORCH_NAMESAKES)
def test_module_takes_the_same_constructor_arguments_as_torch(name):
    assert _parameters(getattr(L, name)) == _parameters(getattr(nn, name))


@pytest.mark.parametrize("name", [n for n in dir(L) if n[0].islower() and n in dir(nn.functional)])
def test_function_takes_the_same_arguments_and_defaults_as_torch(name):
    assert _parameters(getattr(L, name)) == _parameters(getattr(nn.functional, name))


def test_every_torch_counterpart_is_covered():
    functions = {n for n in L.__all__ if n[0].islower() and hasattr(nn.functional, n)}
    assert len(functions) == 10
    assert {n for n in L.__all__ if n in TORCH_NAMESAKES} == set(TORCH_NAMESAKES)


g = torch.Generator().manual_seed(3)
LOGITS = torch.randn(5, 4, generator=g)
CLASSES = torch.tensor([0, 3, 1, -100, 2])
WEIGHT = torch.rand(4, generator=g)
SOFT = torch.softmax(torch.randn(5, 4, generator=g), 1)
HARD = torch.rand(5, 4, generator=g).round()
OTHER = torch.randn(5, 4, generator=g)

MODULE_CASES = {
    "CrossEntropyLoss": (
        L.CrossEntropyLoss(WEIGHT, label_smoothing=0.1),
        lambda: L.cross_entropy(LOGITS, CLASSES, WEIGHT, label_smoothing=0.1),
        (LOGITS, CLASSES),
    ),
    "NLLLoss": (
        L.NLLLoss(WEIGHT, ignore_index=0, reduction="sum"),
        lambda: L.nll_loss(LOGITS, CLASSES.abs() % 4, WEIGHT, ignore_index=0, reduction="sum"),
        (LOGITS, CLASSES.abs() % 4),
    ),
    "CrossEntropyFromProbsLoss": (
        L.CrossEntropyFromProbsLoss(weight=WEIGHT),
        lambda: L.cross_entropy_from_probs(SOFT, CLASSES, weight=WEIGHT),
        (SOFT, CLASSES),
    ),
    "BCELoss": (
        L.BCELoss(WEIGHT, reduction="none"),
        lambda: L.binary_cross_entropy(SOFT, HARD, WEIGHT, reduction="none"),
        (SOFT, HARD),
    ),
    "BCEWithLogitsLoss": (
        L.BCEWithLogitsLoss(pos_weight=WEIGHT * 3),
        lambda: L.binary_cross_entropy_with_logits(LOGITS, HARD, pos_weight=WEIGHT * 3),
        (LOGITS, HARD),
    ),
    "KLDivLoss": (
        L.KLDivLoss(reduction="batchmean", log_target=True),
        lambda: L.kl_div(LOGITS, SOFT.log(), reduction="batchmean", log_target=True),
        (LOGITS, SOFT.log()),
    ),
    "MSELoss": (L.MSELoss(), lambda: L.mse_loss(LOGITS, OTHER), (LOGITS, OTHER)),
    "L1Loss": (L.L1Loss(reduction="sum"), lambda: L.l1_loss(LOGITS, OTHER, reduction="sum"),
               (LOGITS, OTHER)),
    "HuberLoss": (L.HuberLoss(delta=0.5), lambda: L.huber_loss(LOGITS, OTHER, delta=0.5),
                  (LOGITS, OTHER)),
    "SmoothL1Loss": (L.SmoothL1Loss(beta=0.5), lambda: L.smooth_l1_loss(LOGITS, OTHER, beta=0.5),
                     (LOGITS, OTHER)),
    "TripletMarginLoss": (
        L.TripletMarginLoss(margin=2.0, swap=True),
        lambda: L.triplet_margin_loss(LOGITS, OTHER, SOFT, margin=2.0, swap=True),
        (LOGITS, OTHER, SOFT),
    ),
    "SigmoidFocalLoss": (
        L.SigmoidFocalLoss(alpha=0.5, gamma=1.0),
        lambda: L.sigmoid_focal_loss(LOGITS, HARD, alpha=0.5, gamma=1.0),
        (LOGITS, HARD),
    ),
    "FocalLoss": (
        L.FocalLoss(alpha=WEIGHT, gamma=3.0),
        lambda: L.softmax_focal_loss(LOGITS, CLASSES, alpha=WEIGHT, gamma=3.0),
        (LOGITS, CLASSES),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MODULE_CASES))
def test_module_computes_its_function(name):
    module, function, inputs = MODULE_CASES[name]
    assert isinstance(module, nn.Module)
    torch.testing.assert_close(module(*inputs), function())


def test_every_module_is_exported_and_covered():
    modules = {n for n in L.__all__ if n[0].isupper()}
    assert modules == set(MODULE_CASES)


@pytest.mark.parametrize(
    ("module", "buffers"),
    [
        (L.CrossEntropyLoss(WEIGHT), {"weight"}),
        (L.BCEWithLogitsLoss(WEIGHT, pos_weight=WEIGHT * 2), {"weight", "pos_weight"}),
        (L.FocalLoss(alpha=[0.1, 0.2, 0.3, 0.4]), {"alpha"}),
    ],
    ids=["CrossEntropyLoss", "BCEWithLogitsLoss", "FocalLoss"],
)
def test_tensor_arguments_are_buffers_in_the_state_dict(module, buffers):
    assert set(module.state_dict()) == buffers
    assert {name for name, _ in module.named_buffers()} == buffers


def test_buffers_follow_the_module_to_a_device_and_type(device):
    module = L.CrossEntropyLoss(WEIGHT).to(device, torch.float64)
    assert module.weight.device.type == device and module.weight.dtype == torch.float64
    loss = module(LOGITS.to(device, torch.float64), CLASSES.to(device))
    assert loss.dtype == torch.float64


def test_focal_loss_at_gamma_0_is_torchs_cross_entropy_loss():
    torch.testing.assert_close(
        L.FocalLoss(alpha=WEIGHT, gamma=0.0)(LOGITS, CLASSES),
        nn.CrossEntropyLoss(WEIGHT)(LOGITS, CLASSES),
    )


def test_legacy_size_average_and_reduce_set_the_reduction_with_a_warning():
    with pytest.warns(UserWarning, match="reduction='sum'"):
        assert L.MSELoss(size_average=False).reduction == "sum"
    with pytest.warns(UserWarning, match="reduction='none'"):
        assert L.CrossEntropyLoss(reduce=False).reduction == "none"


def test_module_repr_names_the_reduction():
    assert "reduction='sum'" in repr(L.L1Loss(reduction="sum"))


def test_an_unknown_reduction_is_refused_when_the_module_is_built():
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        L.CrossEntropyLoss(reduction="batchmean")
