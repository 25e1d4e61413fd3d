"""Dtypes, devices and autocast: every loss on every device present, in every float type.

Half-precision inputs are computed in float32, so each result must be as accurate as
its own type can hold: within a rounding or two of the float64 value of the same
inputs. The result type must be the one torch's loss would return.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import losslint.losses as L

from .helpers import generator, leaves

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

DTYPES = [torch.float16, torch.bfloat16, torch.float32, torch.float64]


def _cases() -> dict[str, tuple]:
    """name: (ours, torch's or None, float inputs, other inputs, options)."""
    g = generator(1)
    logits = torch.randn(6, 5, generator=g) * 3
    classes = torch.tensor([0, 4, 2, -100, 1, 3])
    soft = torch.softmax(torch.randn(6, 5, generator=g), 1)
    probs = torch.sigmoid(torch.randn(6, 5, generator=g))
    hard = torch.rand(6, 5, generator=g).round()
    other = torch.randn(6, 5, generator=g)
    return {
        "cross_entropy": (L.cross_entropy, F.cross_entropy, [logits], [classes], {}),
        "cross_entropy probs": (L.cross_entropy, F.cross_entropy, [logits, soft], [], {}),
        "nll_loss": (L.nll_loss, F.nll_loss, [torch.log_softmax(logits, 1)], [classes], {}),
        "cross_entropy_from_probs": (L.cross_entropy_from_probs, None, [soft], [classes], {}),
        "binary_cross_entropy": (
            L.binary_cross_entropy, F.binary_cross_entropy, [probs, hard], [], {}
        ),
        "bce_with_logits": (
            L.binary_cross_entropy_with_logits,
            F.binary_cross_entropy_with_logits,
            [logits, hard],
            [],
            {},
        ),
        "kl_div": (
            L.kl_div,
            F.kl_div,
            [torch.log_softmax(logits, 1), soft],
            [],
            {"reduction": "batchmean"},
        ),
        "mse_loss": (L.mse_loss, F.mse_loss, [logits, other], [], {}),
        "l1_loss": (L.l1_loss, F.l1_loss, [logits, other], [], {}),
        "huber_loss": (L.huber_loss, F.huber_loss, [logits, other], [], {}),
        "smooth_l1_loss": (L.smooth_l1_loss, F.smooth_l1_loss, [logits, other], [], {}),
        "triplet_margin_loss": (
            L.triplet_margin_loss, F.triplet_margin_loss, [logits, other, soft], [], {}
        ),
        "sigmoid_focal_loss": (
            L.sigmoid_focal_loss, None, [logits, hard], [], {"reduction": "sum"}
        ),
        "softmax_focal_loss": (L.softmax_focal_loss, None, [logits], [classes], {}),
    }  # fmt: skip


CASES = _cases()


def run(fn, floats, others, options, dtype, device):
    """The loss and the gradient of its first input, for inputs cast to ``dtype``."""
    (x, *rest) = leaves([t.to(dtype) for t in floats], grad=(0,), device=device)
    loss = fn(x, *rest, *(t.to(device) for t in others), **options)
    (grad,) = torch.autograd.grad(loss, x)
    return loss.detach(), grad


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(CASES))
def test_loss_is_accurate_in_every_float_type_on_every_device(name, dtype, device):
    if device == "mps" and dtype == torch.float64:
        pytest.skip("MPS has no float64")
    ours, theirs, floats, others, options = CASES[name]
    value, grad = run(ours, floats, others, options, dtype, device)
    # The same inputs (rounded to dtype), computed in float64 on the CPU.
    rounded = [t.to(dtype).double() for t in floats]
    exact, exact_grad = run(ours, rounded, others, options, torch.float64, "cpu")

    assert value.device.type == device and grad.dtype == dtype
    eps = torch.finfo(dtype).eps
    torch.testing.assert_close(value.cpu().double(), exact, rtol=2 * eps, atol=eps)
    torch.testing.assert_close(
        grad.cpu().double(), exact_grad, rtol=4 * eps, atol=4 * eps * exact_grad.abs().max()
    )
    if theirs is not None:
        expected_dtype = run(theirs, floats, others, options, dtype, device)[0].dtype
        assert value.dtype == expected_dtype


AUTOCAST = [
    pytest.param("cpu", torch.bfloat16, id="cpu-bfloat16"),
    pytest.param(
        "cuda",
        torch.float16,
        id="cuda-float16",
        marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device"),
    ),
]


@pytest.mark.parametrize(("device", "dtype"), AUTOCAST)
@pytest.mark.parametrize("name", list(CASES))
def test_loss_works_under_autocast_and_returns_float32_like_torch(name, device, dtype):
    """A half-precision activation feeds the loss; the result is float32, as torch's is."""
    ours, theirs, floats, others, options = CASES[name]
    first = floats[0].to(device).requires_grad_()
    rest = [t.to(device) for t in floats[1:] + others]
    identity = torch.eye(first.shape[-1], device=device)
    with torch.autocast(device, dtype=dtype):
        activation = first @ identity  # matmul runs in half precision under autocast
        assert activation.dtype == dtype
        loss = ours(activation, *rest, **options)
    assert loss.dtype == torch.float32
    loss.backward()
    assert torch.isfinite(first.grad).all()

    expected = ours(activation.detach().float(), *rest, **options)
    torch.testing.assert_close(loss.detach(), expected)
    if theirs is not None and not (device == "cuda" and name == "binary_cross_entropy"):
        with torch.autocast(device, dtype=dtype):
            assert theirs(first @ identity, *rest, **options).dtype == loss.dtype


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_binary_cross_entropy_runs_under_cuda_autocast_where_torch_refuses():
    probs = torch.rand(4, 3, device="cuda").clamp(0.01, 0.99)
    target = torch.rand(4, 3, device="cuda").round()
    with torch.autocast("cuda", dtype=torch.float16):
        with pytest.raises(RuntimeError, match="unsafe to autocast"):
            F.binary_cross_entropy(probs.half(), target.half())
        loss = L.binary_cross_entropy(probs.half(), target.half())
    assert loss.dtype == torch.float32 and torch.isfinite(loss)


@pytest.mark.parametrize("name", ["cross_entropy", "bce_with_logits", "mse_loss"])
def test_mixed_input_types_promote_as_in_torch(name):
    ours, theirs, floats, others, options = CASES[name]
    mixed = [floats[0].half(), *floats[1:]]
    value = ours(*mixed, *others, **options)
    assert value.dtype == theirs(*mixed, *others, **options).dtype
