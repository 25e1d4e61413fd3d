"""``losslint.trace``: how findings are placed, deduplicated, budgeted and restored."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from tracer_loops import CLASSES, batches, classifier, codes, collect, fit

import losslint
from losslint.diagnostics import format_text
from losslint.tracer import LossMisuseError, LossMisuseWarning, checks, intercept, trace
from losslint.tracer.report import REPORT


def _probabilities(device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    logits = torch.randn(16, CLASSES, device=device, requires_grad=True)
    return logits.softmax(dim=1), torch.randint(0, CLASSES, (16,), device=device)


def test_public_names_are_exported_from_losslint():
    assert losslint.trace is trace
    assert losslint.LossMisuseWarning is LossMisuseWarning
    assert losslint.LossMisuseError is LossMisuseError
    assert issubclass(LossMisuseWarning, UserWarning)


def test_warning_is_placed_at_the_users_line_and_column():
    probs, y = _probabilities()
    criterion = nn.CrossEntropyLoss()

    def run() -> None:
        line[0] = sys._getframe().f_lineno + 1
        criterion(probs, y)

    line = [0]
    (warning,) = collect(run)
    assert warning.code == "LL001"
    assert warning.path.endswith("test_tracer_api.py")
    assert warning.line == line[0]
    if sys.version_info >= (3, 11):
        assert warning.column == 9  # where `criterion(probs, y)` starts
    assert str(warning).startswith("LL001 `CrossEntropyLoss` input is probabilities")


def test_module_call_is_checked_once_not_again_in_its_functional():
    probs, y = _probabilities()
    found = collect(lambda: nn.CrossEntropyLoss()(probs, y))
    assert codes(found) == ["LL001"]
    assert "`CrossEntropyLoss`" in found[0].message


def test_findings_are_deduplicated_per_call_site():
    probs, y = _probabilities()

    def run() -> None:
        for _ in range(5):
            F.cross_entropy(probs, y)  # one site, five calls
        F.cross_entropy(probs, y)  # another site

    found = collect(run)
    assert codes(found) == ["LL001", "LL001"]
    assert found[0].line != found[1].line


def test_strict_mode_raises_loss_misuse_error():
    model = classifier(torch.device("cpu"), nn.Softmax(dim=1))
    with pytest.raises(LossMisuseError) as raised, trace(strict=True, summary=False):
        fit(model, nn.CrossEntropyLoss(), torch.device("cpu"))
    assert raised.value.code == "LL001"
    assert raised.value.path.endswith("tracer_loops.py")
    assert re.match(r".+tracer_loops\.py:\d+:\d+: LL001 ", str(raised.value))
    assert not intercept.is_installed()


def test_strict_mode_error_chains_the_error_torch_raised():
    probs, y = _probabilities()
    with pytest.raises(LossMisuseError) as raised, trace(strict=True, summary=False):
        F.cross_entropy(probs, y + CLASSES)
    assert raised.value.code == "LL001"  # first of LL001 and LL014
    assert isinstance(raised.value.__context__, IndexError)


def test_decorator_form_traces_the_function():
    probs, y = _probabilities()

    @trace(summary=False)
    def step() -> torch.Tensor:
        return F.nll_loss(probs, y)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        step()
    assert [w.message.code for w in caught if w.category is LossMisuseWarning] == ["LL004"]
    assert not intercept.is_installed()


def test_site_budget_persists_across_decorated_calls():
    probs, y = _probabilities()

    @trace(summary=False)
    def epoch() -> None:
        F.cross_entropy(probs, y)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(4):
            epoch()
    assert [w.message.code for w in caught if w.category is LossMisuseWarning] == ["LL001"]


def test_everything_is_restored_exactly_on_exit():
    functions = {name: F.__dict__[name] for name in ("cross_entropy", "kl_div", "mse_loss")}
    forwards = {cls: cls.__dict__["forward"] for cls in (nn.CrossEntropyLoss, nn.BCELoss)}
    with trace(summary=False):
        assert F.cross_entropy is not functions["cross_entropy"]
        assert nn.BCELoss.__dict__["forward"] is not forwards[nn.BCELoss]
    assert {name: F.__dict__[name] for name in functions} == functions
    assert {cls: cls.__dict__["forward"] for cls in forwards} == forwards


def test_everything_is_restored_when_the_block_raises():
    original = F.cross_entropy
    with pytest.raises(ZeroDivisionError), trace(summary=False):
        1 / 0  # noqa: B018
    assert F.cross_entropy is original
    assert not intercept.is_installed()


def test_nested_trace_blocks_keep_tracing_until_the_outermost_exits():
    probs, y = _probabilities()

    def run() -> None:
        with trace(summary=False):
            pass
        assert intercept.is_installed()  # the inner exit did not restore
        F.cross_entropy(probs, y)

    assert codes(collect(run)) == ["LL001"]


def test_inner_strict_block_raises_and_outer_block_warns_again_after_it():
    probs, y = _probabilities()

    def run() -> None:
        with pytest.raises(LossMisuseError), trace(strict=True, summary=False):
            F.cross_entropy(probs, y)
        F.nll_loss(probs, y)

    assert codes(collect(run)) == ["LL004"]


def test_recursive_decorated_function_is_reentrant():
    probs, y = _probabilities()

    @trace(summary=False)
    def descend(depth: int) -> None:
        if depth:
            descend(depth - 1)
        else:
            F.cross_entropy(probs, y)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        descend(3)
    assert [w.message.code for w in caught if w.category is LossMisuseWarning] == ["LL001"]
    assert not intercept.is_installed()


def test_a_site_is_checked_only_for_its_first_calls(monkeypatch):
    seen = []
    real_check = checks.check
    monkeypatch.setattr(checks, "check", lambda call: seen.append(call) or real_check(call))
    logits = torch.randn(8, CLASSES, requires_grad=True)
    y = torch.randint(0, CLASSES, (8,))

    def run() -> None:
        for _ in range(10):
            F.cross_entropy(logits, y)

    collect(run, checks_per_site=2)
    assert len(seen) == 2


def test_calls_after_the_budget_pass_through_unchecked():
    logits = torch.randn(8, CLASSES, requires_grad=True)
    y = torch.randint(0, CLASSES, (8,))

    def run() -> None:
        for step in range(4):
            F.cross_entropy(logits.softmax(1) if step == 3 else logits, y)

    assert codes(collect(run, checks_per_site=3)) == []


def test_tracing_never_changes_the_loss():
    probs, y = _probabilities()
    expected = F.cross_entropy(probs, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with trace(summary=False):
            traced = F.cross_entropy(probs, y)
    assert torch.equal(traced, expected)
    assert traced.grad_fn is not None


def test_an_error_inside_the_checks_never_reaches_the_user(monkeypatch):
    def broken(call):
        raise RuntimeError("tracer bug")

    monkeypatch.setattr(checks, "check", broken)
    probs, y = _probabilities()
    found = []
    with trace(summary=False):
        found.append(F.cross_entropy(probs, y))
    assert torch.equal(found[0], F.cross_entropy(probs, y))


def test_a_wrapper_kept_after_exit_passes_through():
    probs, y = _probabilities()
    with trace(summary=False):
        kept = F.cross_entropy
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert torch.equal(kept(probs, y), F.cross_entropy(probs, y))


def test_summary_lines_are_the_static_linters_format():
    probs, y = _probabilities()
    collect(lambda: F.cross_entropy(probs, y))
    (diagnostic,) = REPORT.diagnostics()
    line = format_text(diagnostic)
    assert re.fullmatch(r"\S*test_tracer_api\.py:\d+:\d+: LL001 `cross_entropy` .+", line)


def test_loss_called_by_a_third_party_trainer_is_seen(tmp_path, monkeypatch):
    library = tmp_path / "site-packages"
    library.mkdir()
    (library / "fake_trainer.py").write_text(
        textwrap.dedent(
            """
            from torch.nn.functional import nll_loss  # bound at import, before tracing


            class Trainer:
                def __init__(self, model, criterion):
                    self.model, self.criterion = model, criterion

                def step(self, x, y):
                    return self.criterion(self.model(x), y)

                def step_with_bound_function(self, x, y):
                    return nll_loss(self.model(x), y)
            """
        )
    )
    monkeypatch.syspath_prepend(str(library))
    import fake_trainer

    device = torch.device("cpu")
    trainer = fake_trainer.Trainer(classifier(device, nn.Softmax(dim=1)), nn.CrossEntropyLoss())
    x, y = next(batches(device, 1))

    def run() -> None:
        line[0] = sys._getframe().f_lineno + 1
        trainer.step(x, y)
        trainer.step_with_bound_function(x, y)

    line = [0]
    found = collect(run)
    monkeypatch.delitem(sys.modules, "fake_trainer")
    # The module's forward is seen; a functional bound by name before tracing is not.
    assert codes(found) == ["LL001"]
    assert found[0].path.endswith("fake_trainer.py")
    assert f"reached from test_tracer_api.py:{line[0]}" in found[0].message


def test_compiled_model_is_checked_by_values_at_the_loss():
    model = classifier(torch.device("cpu"), nn.Softmax(dim=1))
    compiled = torch.compile(model, backend="aot_eager")
    x, y = next(batches(torch.device("cpu"), 1))
    found = collect(lambda: F.cross_entropy(compiled(x), y).backward())
    assert codes(found) == ["LL001"]
    assert "every row in [0, 1] summing to 1" in found[0].message


def test_loss_inside_a_compiled_function_is_not_seen_and_not_broken():
    torch._dynamo.reset()
    model = classifier(torch.device("cpu"), nn.Softmax(dim=1))
    x, y = next(batches(torch.device("cpu"), 1))

    @torch.compile(backend="eager", fullgraph=True)  # fullgraph: the tracer adds no break
    def step(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return nn.CrossEntropyLoss()(model(x), y)

    found = collect(lambda: step(x, y).backward())
    assert codes(found) == []


@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA not available")
def test_cuda_calls_past_the_budget_never_sync():
    device = torch.device("cuda")
    model = classifier(device)
    criterion = nn.CrossEntropyLoss()
    x, y = next(batches(device, 1))

    def run() -> None:
        for step in range(8):
            loss = criterion(model(x), y)  # one site: checked 3 times, then free
            if step == 2:
                torch.cuda.synchronize()
                torch.cuda.set_sync_debug_mode("error")
            loss.backward()
        torch.cuda.set_sync_debug_mode("default")

    try:
        assert codes(collect(run)) == []
    finally:
        torch.cuda.set_sync_debug_mode("default")


def test_importing_the_tracer_package_does_not_import_torch():
    code = (
        "import sys, losslint, losslint.tracer, losslint.tracer.pytest_plugin; "
        "print('torch' in sys.modules)"
    )
    repo = Path(losslint.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_torchscript_compiles_the_original_losses_inside_and_after_trace():
    class Criterion(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ce = nn.CrossEntropyLoss()

        def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            return self.ce(x, y) + F.nll_loss(x.log_softmax(1), y)

    logits, y = torch.randn(8, CLASSES), torch.randint(0, CLASSES, (8,))
    expected = Criterion()(logits, y)
    with trace(summary=False):
        inside = torch.jit.script(Criterion())(logits, y)
    after = torch.jit.script(Criterion())(logits, y)
    assert torch.allclose(inside, expected) and torch.allclose(after, expected)
