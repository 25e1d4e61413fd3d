"""Accuracy of the static linter on the labelled corpus: TP / FP / FN per code.

Every folder of ``tests/corpus/`` is one project, linted as the test suite lints it
(``tests/corpus_tools.py``); its ``# expect: LLxxx`` comments are the truth. A
finding matches a label when file, notebook cell, line and code are the same; a
finding reported twice at one place (by its own file, and again through a caller in
another file) counts once, and the repeats are shown on their own line.

    python benchmarks/accuracy.py              # tests/corpus
    python benchmarks/accuracy.py --pending    # also tests/corpus_pending
    python benchmarks/accuracy.py --details    # list every false positive and miss
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from corpus_tools import (  # noqa: E402
    CORPUS,
    actual_keys,
    duplicate_reports,
    expected_keys,
    lint_project,
)

from losslint.catalog import RULES  # noqa: E402
from losslint.checks import ALL_CHECKS  # noqa: E402
from losslint.discovery import discover  # noqa: E402

PENDING = CORPUS.parent / "corpus_pending"


def projects(include_pending: bool) -> list[Path]:
    roots = [CORPUS, PENDING] if include_pending else [CORPUS]
    return sorted(
        (p for root in roots if root.is_dir() for p in root.iterdir() if p.is_dir()),
        key=lambda p: p.name,
    )


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", action="store_true", help="include tests/corpus_pending")
    parser.add_argument("--details", action="store_true", help="list each FP and FN")
    args = parser.parse_args(argv)

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    files = clean = duplicates = 0
    details: list[str] = []
    folders = projects(args.pending)
    started = time.perf_counter()
    for folder in folders:
        files += sum(1 for _ in discover([folder]))
        diagnostics = lint_project(folder)
        actual = set(actual_keys(folder, diagnostics))
        expected = set(expected_keys(folder))
        duplicates += duplicate_reports(folder, diagnostics)
        clean += not expected
        for key in actual & expected:
            tp[key[3]] += 1
        for kind, keys, counter in (("FP", actual - expected, fp), ("FN", expected - actual, fn)):
            for key in sorted(keys, key=str):
                counter[key[3]] += 1
                cell = f":cell {key[1]}" if key[1] is not None else ""
                details.append(f"{kind} {key[3]} {folder.name}/{key[0]}{cell}:{key[2]}")
    elapsed = time.perf_counter() - started

    registered = {check.code for check in ALL_CHECKS}
    where = "tests/corpus + tests/corpus_pending" if args.pending else "tests/corpus"
    print(f"{where}: {len(folders)} projects ({clean} clean), {files} files, {elapsed:.1f} s")
    print()
    print(f"{'code':<7}{'labels':>7}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for rule in RULES:
        if not rule.static or rule.code == "LL000":
            continue
        code = rule.code
        labels = tp[code] + fn[code]
        note = "" if code in registered else "  (no registered check)"
        print(
            f"{code:<7}{labels:>7}{tp[code]:>5}{fp[code]:>5}{fn[code]:>5}"
            f"{ratio(tp[code], tp[code] + fp[code]):>11}"
            f"{ratio(tp[code], tp[code] + fn[code]):>8}{note}"
        )
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(
        f"{'all':<7}{total_tp + total_fn:>7}{total_tp:>5}{total_fp:>5}{total_fn:>5}"
        f"{ratio(total_tp, total_tp + total_fp):>11}{ratio(total_tp, total_tp + total_fn):>8}"
    )
    print()
    print(f"repeated reports of one finding (same file, cell, line, code): {duplicates}")
    if args.details and details:
        print()
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
