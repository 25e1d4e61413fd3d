"""IPython syntax in .py files and notebooks, and LL000 placed at the real syntax error.

A line is IPython syntax only where a statement starts: ``%`` or ``!`` on a line
that continues an expression inside brackets is Python (``"%d"\\n % n``, ``!=``).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from losslint.fixes.rounds import fix_bytes
from losslint.ipython import python_lines, without_ipython
from losslint.linter import lint_bytes


def lines(text: str) -> list[str]:
    return textwrap.dedent(text).strip("\n").split("\n")


def places(data: bytes, path: str = "t.py") -> list[tuple[int | None, int, int, str]]:
    found = lint_bytes(data, path)
    return [(d.location.cell, d.location.line, d.location.column, d.code) for d in found]


def notebook(*cells: str) -> bytes:
    document = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": source}
            for source in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document).encode()


HEADER = "import torch\nimport torch.nn.functional as F\n"


# ------------------------------------------------------------------ which lines


def test_magic_shell_and_help_lines_become_pass_at_their_indentation() -> None:
    source = lines(
        """
        %matplotlib inline
        !pip install torch
        for name in files:
            !rm {name}
        F.cross_entropy?
        ?F.nll_loss
        torch.nn.functional.softmax??
        """
    )
    assert python_lines(source) == [
        "pass",
        "pass",
        "for name in files:",
        "    pass",
        "pass",
        "pass",
        "pass",
    ]


def test_percent_continuing_a_bracket_is_python() -> None:
    source = lines(
        """
        print("%d"
              % n)
        x = ("%s"
        %
        y)
        """
    )
    assert python_lines(source) == source


def test_not_equal_continuing_a_bracket_is_python() -> None:
    source = lines(
        """
        if (a
                != b):
            pass
        mask = [x for x in xs
        !=0]
        """
    )
    assert python_lines(source) == source


def test_percent_after_a_backslash_continuation_is_python() -> None:
    source = lines(
        """
        text = "%d items" \\
            % n
        """
    )
    assert python_lines(source) == source


def test_lines_inside_a_triple_quoted_string_are_python() -> None:
    source = lines(
        '''
        usage = """
        %prog [options]
        !important
        is it?
        """
        doc = \'\'\'it's
        % fine\'\'\'
        '''
    )
    assert python_lines(source) == source


def test_brackets_and_quotes_in_strings_and_comments_do_not_count() -> None:
    source = lines(
        """
        a = "(" + ')'  # ( [ {
        b = f"{x}["
        %time b
        c = r"\\" "
        %who
        """
    )
    assert python_lines(source) == [
        "a = \"(\" + ')'  # ( [ {",
        'b = f"{x}["',
        "pass",
        'c = r"\\" "',
        "pass",
    ]


def test_question_mark_in_a_comment_or_string_is_python() -> None:
    source = lines(
        """
        x = 1  # why?
        y = "why?"
        """
    )
    assert python_lines(source) == source


def test_assigned_magic_binds_an_unknown_value() -> None:
    source = lines(
        """
        files = !ls *.py
        if True:
            out = %time model(x)
        """
    )
    assert python_lines(source) == ["files = ...", "if True:", "    out = ..."]


def test_shell_line_continued_with_a_backslash_is_one_command() -> None:
    source = lines(
        """
        !pip install \\
            torch torchvision
        x = 1
        """
    )
    assert python_lines(source) == ["pass", "", "x = 1"]


def test_python_cell_magic_keeps_its_body() -> None:
    source = lines(
        """
        %%time
        loss = F.cross_entropy(logits, y)
        """
    )
    assert python_lines(source) == ["pass", "loss = F.cross_entropy(logits, y)"]


def test_foreign_cell_magic_in_a_script_is_blank_until_the_next_cell() -> None:
    source = lines(
        """
        # %%
        %%bash
        echo (
        # %% next cell
        x = 1
        """
    )
    assert python_lines(source) == ["# %%", "", "", "# %% next cell", "x = 1"]


def test_valid_python_is_never_rewritten() -> None:
    # IPython lines are never valid Python: a change to a file that parses is a line
    # the scanner placed wrongly (inside brackets, a string, a continuation).
    package = Path(__file__).resolve().parents[1] / "losslint"
    for path in sorted(package.rglob("*.py")):
        data = path.read_bytes()
        assert without_ipython(data) == data, path


def test_script_rewrite_keeps_bytes_and_line_endings() -> None:
    data = b"\xef\xbb\xbf%matplotlib inline\r\nx = 'caf\xc3\xa9'\r\n!ls\n"
    assert without_ipython(data) == b"\xef\xbb\xbfpass\r\nx = 'caf\xc3\xa9'\r\npass\n"


# ------------------------------------------------------------------ .py files


CELL_SCRIPT = HEADER + textwrap.dedent(
    """\
    # %%
    %matplotlib inline
    !nvidia-smi
    # %%
    print("%d classes"
          % 10)
    logits = torch.randn(4, 10)
    probs = F.softmax(logits, dim=1)
    F.softmax?
    loss = F.cross_entropy(probs, torch.tensor([1, 2, 3, 4]))
    """
)


def test_cell_script_with_magics_is_flagged_on_the_misuse_line() -> None:
    assert places(CELL_SCRIPT.encode()) == [(None, 12, 8, "LL001")]


def test_findings_in_a_script_with_magics_offer_no_fix() -> None:
    # A fix is verified by parsing the fixed file, which IPython lines never pass.
    [finding] = lint_bytes(CELL_SCRIPT.encode(), "t.py")
    assert finding.fix is None


def test_clean_cell_script_with_magics_is_silent() -> None:
    clean = CELL_SCRIPT.replace("F.cross_entropy(probs", "F.nll_loss(probs.log()")
    clean = clean.replace("F.softmax(logits", "F.log_softmax(logits").replace(".log()", "")
    assert places(clean.encode()) == []


def test_syntax_error_is_ll000_at_its_own_line_and_column() -> None:
    source = HEADER + "loss = F.cross_entropy(logits, y) +\nprint(loss)\n"
    assert places(source.encode()) == [(None, 3, 36, "LL000")]


def test_unclosed_bracket_is_ll000_where_it_opens() -> None:
    source = HEADER + "loss = F.cross_entropy(logits,\nprint(loss)\nx = 1\n"
    [diagnostic] = lint_bytes(source.encode(), "t.py")
    assert (diagnostic.location.line, diagnostic.location.column) == (3, 23)
    assert "never closed" in diagnostic.message


def test_syntax_error_beside_magics_is_ll000_at_the_error() -> None:
    source = HEADER + "%matplotlib inline\ndef train(:\n    F.cross_entropy(logits, y)\n"
    assert places(source.encode()) == [(None, 4, 11, "LL000")]


# ------------------------------------------------------------------ notebooks


def test_notebook_percent_continuation_is_not_a_magic() -> None:
    data = notebook(
        HEADER + "logits = torch.randn(4, 10)",
        'print("%d classes"\n      % logits.shape[1])',
        "loss = F.cross_entropy(F.softmax(logits, dim=1), y)",
    )
    assert places(data, "nb.ipynb") == [(3, 1, 8, "LL001")]


def test_notebook_not_equal_continuation_is_not_a_magic() -> None:
    data = notebook(
        HEADER,
        "if (logits.shape[1]\n        != 10):\n    raise ValueError\n",
        "loss = F.cross_entropy(logits, y)",
    )
    assert places(data, "nb.ipynb") == []


def test_notebook_syntax_error_in_cell_5_is_ll000_in_cell_5() -> None:
    data = notebook(
        HEADER + "%matplotlib inline",
        'print("%d"\n      % 3)',
        "x = 1",
        "y = 2",
        "loss = F.cross_entropy(logits, y)\ndef f(:\n    pass",
    )
    assert places(data, "nb.ipynb") == [(5, 2, 7, "LL000")]


def test_notebook_cell_left_open_is_ll000_in_that_cell() -> None:
    # Cells run one by one: a bracket left open cannot swallow the next cell.
    data = notebook(
        HEADER,
        "loss = F.cross_entropy(logits,\n",
        "y = 1\nz = 2",
    )
    assert places(data, "nb.ipynb") == [(2, 1, 23, "LL000")]


def test_fixing_a_script_with_magics_leaves_it_as_it_is() -> None:
    result = fix_bytes(CELL_SCRIPT.encode(), "t.py")
    assert result.fixed == CELL_SCRIPT.encode()
    assert [d.code for d in result.remaining] == ["LL001"]
