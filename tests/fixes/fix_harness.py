"""Shared by the fix tests: fixture pairs, fixing in memory, and running snippets with torch.

A fix fixture is a pair ``name.in.py`` -> ``name.out.py`` in ``fixtures/``. Header
comments in the ``.in.py`` say how to check it:

- ``# fix: unsafe`` — apply unsafe fixes too (``--unsafe-fixes``);
- ``# intended: EXPR`` — the loss the code means, from ``torch.nn.functional`` (``F``)
  on the snippet's own names; the fixed snippet's ``loss`` must equal it (value and
  gradient), the original's must not;
- ``# wrt: EXPR`` — what the gradient is taken with respect to (default ``logits``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from losslint.fixes.rounds import FixResult, fix_bytes

FIXTURES = Path(__file__).parent / "fixtures"
_HEADER = re.compile(r"^#\s*(fix|intended|wrt):\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Pair:
    name: str
    before: bytes
    after: bytes

    @property
    def headers(self) -> dict[str, str]:
        text = self.before.decode("utf-8").replace("\r\n", "\n")
        return {key: value for key, value in _HEADER.findall(text)}

    @property
    def unsafe(self) -> bool:
        return self.headers.get("fix") == "unsafe"


def pairs() -> list[Pair]:
    found = []
    for before in sorted(FIXTURES.glob("*.in.py")):
        name = before.name[: -len(".in.py")]
        after = before.with_name(f"{name}.out.py")
        found.append(Pair(name, before.read_bytes(), after.read_bytes()))
    return found


def fix(data: bytes, name: str = "snippet.py", unsafe: bool = False) -> FixResult:
    return fix_bytes(data, name, unsafe=unsafe)


def run_snippet(code: str, seed: int | None = None) -> dict:
    """Execute ``code`` as a module; returns its namespace."""
    import torch

    if seed is not None:
        torch.manual_seed(seed)
    namespace: dict = {"__name__": "__losslint_snippet__"}
    exec(compile(code, "<snippet>", "exec"), namespace)  # noqa: S102 - test oracle
    return namespace


def loss_and_grad(namespace: dict, loss_expr: str, wrt_expr: str):
    """The value of ``loss_expr`` and its gradient with respect to ``wrt_expr``."""
    import torch
    import torch.nn.functional as F

    scope = {"torch": torch, "F": F, **namespace}
    loss = eval(loss_expr, scope)  # noqa: S307 - test oracle
    wrt = eval(wrt_expr, scope)  # noqa: S307 - test oracle
    total = loss.sum() if loss.dim() else loss
    (grad,) = torch.autograd.grad(total, [wrt], retain_graph=True, allow_unused=True)
    if grad is None:
        grad = torch.zeros_like(wrt)
    return loss.detach(), grad


def compare(namespace: dict, intended: str, wrt: str = "logits") -> tuple[bool, bool]:
    """Whether the snippet's ``loss`` equals ``intended``: (in value, in gradient)."""
    import torch

    loss, grad = loss_and_grad(namespace, "loss", wrt)
    want, want_grad = loss_and_grad(namespace, intended, wrt)
    return (
        bool(torch.allclose(loss, want, atol=1e-5, rtol=1e-5)),
        bool(torch.allclose(grad, want_grad, atol=1e-5, rtol=1e-5)),
    )
