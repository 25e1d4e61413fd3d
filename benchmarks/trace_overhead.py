"""What ``losslint.trace()`` costs a training step, against two baselines, in one run.

For a small MLP (batch 32), the same MLP trained multi-label with
``BCEWithLogitsLoss`` (whose targets the tracer keeps watching after its checked
calls: one ``aminmax`` per call, see ``losslint/tracer/watch.py``), and a small
CIFAR-shaped CNN (batch 64), the same SGD loop runs:

- ``untraced``: plain torch;
- ``traced``: inside ``losslint.trace()`` (the per-site budget is spent in warm-up,
  so this is the steady state: every later loss call passes straight through);
- ``tf-mode``: inside an empty ``torch.overrides.TorchFunctionMode``, the floor of
  the naive design that intercepts every op.

Modes are interleaved in blocks (rotating their order each repeat) so drift and
noise from other processes hit them alike; each repeat gives a ratio to the
untraced block of the same repeat, and the table prints median ms/step and the
median ratio. Goals: traced/untraced <= 1.05 (MLPs) and <= 1.02 (CNN).

Two clocks are reported: wall time, and the main thread's CPU time. torch runs
with one intra-op thread here (``--threads``), so on CPU the whole step (autograd
included) runs on the main thread and its CPU time is the step's cost without the
time the scheduler gave to other processes on a shared machine.

    python benchmarks/trace_overhead.py            # ~1-2 minutes on 2 cores
    python benchmarks/trace_overhead.py --quick    # a smoke run
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
import losslint  # noqa: E402

MODES = ("untraced", "traced", "tf-mode")


class EmptyMode(TorchFunctionMode):
    """Sees every torch call and does nothing with it."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


@dataclass
class Workload:
    name: str
    model: nn.Module
    batches: list[tuple[torch.Tensor, torch.Tensor]]
    steps: int  # steps per timed block
    goal: float
    criterion: nn.Module = nn.CrossEntropyLoss()


def mlp_workload(steps: int) -> Workload:
    # As small as it gets: the step is almost all per-op overhead, so the tracer's
    # fixed cost per loss call weighs the most here.
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    batches = [(torch.randn(32, 64), torch.randint(0, 10, (32,))) for _ in range(8)]
    return Workload("MLP 64-64-10, batch 32", model, batches, steps, 1.05)


def bce_workload(steps: int) -> Workload:
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    batches = [(torch.randn(32, 64), (torch.rand(32, 10) > 0.5).float()) for _ in range(8)]
    return Workload(
        "MLP multi-label BCE, batch 32", model, batches, steps, 1.05, nn.BCEWithLogitsLoss()
    )


def cnn_workload(steps: int) -> Workload:
    model = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 8 * 8, 10),
    )
    batches = [(torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))) for _ in range(4)]
    return Workload("CNN 2 conv, CIFAR 3x32x32, batch 64", model, batches, steps, 1.02)


def make_step(workload: Workload) -> Callable[[int], None]:
    model = workload.model
    criterion = workload.criterion
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    batches = workload.batches

    def run(steps: int) -> None:
        for i in range(steps):
            x, y = batches[i % len(batches)]
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()

    return run


def context(mode: str) -> contextlib.AbstractContextManager:
    if mode == "traced":
        return losslint.trace(summary=False)
    if mode == "tf-mode":
        return EmptyMode()
    return contextlib.nullcontext()


def rotations(repeats: int) -> Iterator[tuple[str, ...]]:
    for r in range(repeats):
        k = r % len(MODES)
        yield MODES[k:] + MODES[:k]


Times = dict[str, dict[str, list[float]]]  # clock -> mode -> seconds per step, per repeat


def measure(workload: Workload, repeats: int) -> Times:
    """Per-repeat seconds per step for each mode, on both clocks."""
    run = make_step(workload)
    for mode in MODES:  # warm-up, and spend the tracer's per-site budget
        with context(mode):
            run(max(10, workload.steps // 4))
    times: Times = {clock: {mode: [] for mode in MODES} for clock in ("wall", "cpu")}
    for order in rotations(repeats):
        for mode in order:
            with context(mode):
                wall, cpu = time.perf_counter(), time.thread_time()
                run(workload.steps)
                cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            times["wall"][mode].append(wall / workload.steps)
            times["cpu"][mode].append(cpu / workload.steps)
    return times


def report(workload: Workload, times: Times) -> list[str]:
    rows = []
    for mode in MODES:
        cells = []
        for clock in ("wall", "cpu"):
            per_mode, base = times[clock][mode], times[clock]["untraced"]
            ms = statistics.median(per_mode) * 1e3
            ratio = statistics.median(t / b for t, b in zip(per_mode, base, strict=True))
            cells += [f"{ms:.3f}", f"{ratio:.3f}"]
        goal = f"<= {workload.goal:.2f}" if mode == "traced" else ""
        rows.append(f"| {workload.name} | {mode} | {' | '.join(cells)} | {goal} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats: a smoke run")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    warnings.simplefilter("ignore", UserWarning)  # e.g. numpy missing
    repeats = (5, 5, 3) if args.quick else (31, 31, 15)
    workloads = [mlp_workload(300), bce_workload(300), cnn_workload(8)]
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); "
        f"median over repeats of interleaved blocks"
    )
    print("| workload | mode | wall ms/step | wall ratio | cpu ms/step | cpu ratio | goal |")
    print("|---|---|---|---|---|---|---|")
    for workload, n in zip(workloads, repeats, strict=True):
        for row in report(workload, measure(workload, n)):
            print(row, flush=True)


if __name__ == "__main__":
    main()
