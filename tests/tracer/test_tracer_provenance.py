"""Provenance from the autograd graph, and the value predicates used without one."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from losslint.tracer.provenance import Origin, provenance
from losslint.tracer.values import Probe, is_probability_rows, one_hot_along, row_stats

torch.manual_seed(0)
_LOGITS = nn.Linear(6, 5)(torch.randn(4, 6))

VIEWS = {
    "view": lambda p: p.view(-1, 5),
    "reshape": lambda p: p.reshape(2, 10),
    "reshape_after_transpose": lambda p: p.t().reshape(20),
    "flatten": lambda p: p.flatten(),
    "squeeze": lambda p: p.unsqueeze(0).squeeze(0),
    "squeeze_dim": lambda p: p[:, :1].squeeze(-1),
    "unsqueeze": lambda p: p[None],
    "select": lambda p: p[0],
    "slice": lambda p: p[1:3],
    "fancy_index": lambda p: p[torch.tensor([0, 2])],
    "mask_index": lambda p: p[torch.ones(4, dtype=torch.bool)],
    "to_dtype": lambda p: p.to(torch.float64),
    "float": lambda p: p.double().float(),
    "clone": lambda p: p.clone(),
    "contiguous": lambda p: p.t().contiguous(),
    "permute": lambda p: p.permute(1, 0),
    "transpose": lambda p: p.transpose(0, 1),
    "expand": lambda p: p[:, :1].expand(4, 3),
    "chunk": lambda p: p.chunk(2)[0],
    "unbind": lambda p: p.unbind(0)[1],
    "index_select": lambda p: p.index_select(0, torch.tensor([1])),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_softmax_provenance_survives_view_like_ops(name):
    assert provenance(VIEWS[name](_LOGITS.softmax(dim=1))).origin is Origin.SOFTMAX


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_sigmoid_provenance_survives_view_like_ops(name):
    assert provenance(VIEWS[name](torch.sigmoid(_LOGITS))).origin is Origin.SIGMOID


@pytest.mark.parametrize(
    ("make", "origin"),
    [
        (lambda z: F.softmax(z, dim=1), Origin.SOFTMAX),
        (lambda z: nn.Softmax(dim=1)(z), Origin.SOFTMAX),
        (lambda z: z.log_softmax(1).exp(), Origin.SOFTMAX),
        (lambda z: torch.exp(F.log_softmax(z, 1).view(-1)), Origin.SOFTMAX),
        (lambda z: F.softmax(z.half(), dim=1), Origin.SOFTMAX),
        (lambda z: nn.Sigmoid()(z), Origin.SIGMOID),
        (lambda z: F.logsigmoid(z).exp(), Origin.SIGMOID),
        (lambda z: z.log_softmax(1), Origin.LOG_SOFTMAX),
        (lambda z: z, Origin.LINEAR),
        (lambda z: z.view(-1), Origin.LINEAR),
        (lambda z: z.exp(), Origin.UNKNOWN),
        (lambda z: z.softmax(1) * 2, Origin.UNKNOWN),
        (lambda z: z.softmax(1).clamp(1e-6, 1), Origin.UNKNOWN),
        (lambda z: z.detach().softmax(1), Origin.NO_GRAPH),
    ],
)
def test_provenance_names_the_deciding_op(make, origin):
    assert provenance(make(_LOGITS)).origin is origin


def test_convolution_output_is_linear():
    out = nn.Conv2d(3, 4, 3)(torch.randn(1, 3, 8, 8))
    assert provenance(out.flatten(1)).origin is Origin.LINEAR


def test_no_grad_tensor_has_no_provenance():
    with torch.no_grad():
        probs = _LOGITS.softmax(1)
    assert provenance(probs).origin is Origin.NO_GRAPH


def _judge(x: torch.Tensor, dim: int = 1) -> bool:
    probe = Probe()
    stats = row_stats(probe, x, dim)
    probe.read()
    return is_probability_rows(probe, stats, x.dtype)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    rows=st.integers(1, 16),
    classes=st.integers(2, 50),
    scale=st.floats(1e-3, 1e3),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([torch.float32, torch.float16, torch.bfloat16]),
)
def test_softmax_rows_are_probabilities_and_logits_are_not(rows, classes, scale, seed, dtype):
    generator = torch.Generator().manual_seed(seed)
    logits = (torch.randn(rows, classes, generator=generator) * scale).to(dtype)
    assert _judge(logits.float().softmax(1).to(dtype))
    assert not _judge(logits)
    assert not _judge(logits.relu())  # non-negative logits still do not sum to 1
    assert not _judge(logits.float().log_softmax(1).to(dtype))


def test_a_class_dim_of_one_is_never_probabilities():
    assert not _judge(torch.ones(8, 1))


def test_one_hot_rows_are_recognised_only_when_exactly_one_hot():
    probe = Probe()
    y = torch.tensor([0, 2, 1, 2])
    hot = one_hot_along(probe, F.one_hot(y, 3).float(), 1)
    soft = one_hot_along(probe, F.one_hot(y, 3).float() * 0.9 + 0.1 / 3, 1)
    multi = one_hot_along(probe, torch.ones(4, 3), 1)
    probe.read()
    assert (probe[hot], probe[soft], probe[multi]) == (1.0, 0.0, 0.0)
