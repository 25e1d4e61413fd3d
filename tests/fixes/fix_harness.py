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

import importlib
import inspect
import re
from contextlib import contextmanager
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

    @property
    def code(self) -> str:
        """The rule the fixture is about: its name's prefix (``crlf`` is about LL001)."""
        prefix = self.name.split("_", 1)[0]
        return prefix.upper() if re.fullmatch(r"ll\d{3}", prefix) else "LL001"


def pairs() -> list[Pair]:
    found = []
    for before in sorted(FIXTURES.glob("*.in.py")):
        name = before.name[: -len(".in.py")]
        after = before.with_name(f"{name}.out.py")
        found.append(Pair(name, before.read_bytes(), after.read_bytes()))
    return found


def has_check(code: str) -> bool:
    """Whether the rule ``code`` has its check module yet (LL004-LL013 are being written)."""
    from losslint import checks

    return (Path(checks.__file__).parent / f"{code.lower()}.py").is_file()


def fix(data: bytes, name: str = "snippet.py", unsafe: bool = False) -> FixResult:
    with every_check():
        return fix_bytes(data, name, unsafe=unsafe)


@contextmanager
def every_check():
    """Lint with every rule module in ``losslint/checks``, registered in ALL_CHECKS or not.

    Rules LL004-LL013 are written alongside the fixes; until they are registered, the
    fix tests still see their findings.
    """
    from losslint import checks, linter
    from losslint.checks.base import Check

    found = list(linter.ALL_CHECKS)
    for path in sorted(Path(checks.__file__).parent.glob("ll[0-9][0-9][0-9].py")):
        module = importlib.import_module(f"losslint.checks.{path.stem}")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Check)
                and getattr(value, "code", None) == path.stem.upper()
                and value not in found
            ):
                found.append(value)
    saved = linter.ALL_CHECKS
    linter.ALL_CHECKS = tuple(found)
    try:
        yield
    finally:
        linter.ALL_CHECKS = saved


def lint(data: bytes, name: str = "snippet.py"):
    from losslint.linter import lint_bytes

    with every_check():
        return lint_bytes(data, name)


def run_snippet(code: str, seed: int | None = None, may_raise: bool = False) -> dict | None:
    """Execute ``code`` as a module; returns its namespace (None if it raised and may)."""
    import warnings

    import torch

    if seed is not None:
        torch.manual_seed(seed)
    namespace: dict = {"__name__": "__losslint_snippet__"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code, "<snippet>", "exec"), namespace)  # noqa: S102 - test oracle
    except Exception:
        if not may_raise:
            raise
        return None
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


def compare(namespace: dict | None, intended: str, wrt: str = "logits") -> tuple[bool, bool]:
    """Whether the snippet's ``loss`` equals ``intended``: (in value, in gradient).

    ``namespace`` None (the snippet raised) or a ``loss`` that is no tensor (a module
    constructed instead of called) computes nothing: (False, False).
    """
    import torch

    if namespace is None or not isinstance(namespace.get("loss"), torch.Tensor):
        return False, False
    loss, grad = loss_and_grad(namespace, "loss", wrt)
    want, want_grad = loss_and_grad(namespace, intended, wrt)
    return (
        bool(torch.allclose(loss, want, atol=1e-5, rtol=1e-5)),
        bool(torch.allclose(grad, want_grad, atol=1e-5, rtol=1e-5)),
    )
