"""The language server's conversions, on plain data: diagnostics, quick fixes, noqa, fix-all."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls")

from lsp_driver import apply_text_edits  # noqa: E402
from lsprotocol import types  # noqa: E402

from losslint.diagnostics import Diagnostic, Edit, Fix, Location  # noqa: E402
from losslint.linter import lint_bytes  # noqa: E402
from losslint.lsp import (  # noqa: E402
    FIX_ALL,
    Document,
    code_actions,
    lint_document,
    lsp_diagnostic,
    noqa_action,
)

URI = "file:///project/train.py"
PATH = "/project/train.py"
TEXT = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(F.softmax(logits, dim=1), y)
"""
EVERYWHERE = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)
)


def _finding(line: int = 5, fix: Fix | None = None, code: str = "LL001") -> Diagnostic:
    text = TEXT.splitlines()[line - 1]
    column = text.index("F.cross_entropy") + 1 if "F.cross_entropy" in text else 1
    location = Location(PATH, line, column, line, len(text) + 1)
    return Diagnostic(code, "probabilities into cross_entropy", location, fix=fix)


def _drop_softmax(safe: bool = True) -> Fix:
    line = TEXT.splitlines()[4]
    start = line.index("F.softmax") + 1
    end = line.index(", y)") + 1
    return Fix("Remove `F.softmax`", safe, (Edit(5, start, 5, end, "logits"),))


def _apply(action: types.CodeAction, text: str = TEXT) -> str:
    edits = [
        {
            "range": {
                "start": {"line": e.range.start.line, "character": e.range.start.character},
                "end": {"line": e.range.end.line, "character": e.range.end.character},
            },
            "newText": e.new_text,
        }
        for e in action.edit.changes[URI]
    ]
    return apply_text_edits(text, edits)


def test_quick_fix_is_built_from_the_diagnostics_fix() -> None:
    document = Document(URI, TEXT)
    actions = code_actions([_finding(fix=_drop_softmax())], document, EVERYWHERE, ["quickfix"])
    [fix, noqa] = actions
    assert fix.title == "Remove `F.softmax` (LL001)"
    assert fix.is_preferred is True
    assert "return F.cross_entropy(logits, y)" in _apply(fix)
    assert noqa.title == "Disable LL001 for this line"


def test_unsafe_fix_says_so_and_is_not_preferred() -> None:
    document = Document(URI, TEXT)
    [fix, _] = code_actions(
        [_finding(fix=_drop_softmax(safe=False))], document, EVERYWHERE, ["quickfix"]
    )
    assert "unsafe" in fix.title
    assert fix.is_preferred is False


def test_fix_all_applies_the_fixes_check_fix_would() -> None:
    document = Document(URI, TEXT + "\n\ndef other(logits, y):\n" + TEXT.splitlines()[4] + "\n")
    diagnostics = lint_document(document)
    if not any(d.fix is not None and d.fix.safe for d in diagnostics):
        pytest.skip("LL001 offers no safe fix for this case")
    [action] = code_actions(diagnostics, document, EVERYWHERE, [FIX_ALL])
    assert action.kind == FIX_ALL
    fixed = _apply(action, document.text)
    assert fixed.count("F.cross_entropy(logits, y)") == 2
    assert lint_document(Document(URI, fixed)) == []


def test_fix_all_offers_nothing_without_a_safe_fix() -> None:
    document = Document(URI, TEXT)
    unsafe = [_finding(fix=_drop_softmax(safe=False))]
    assert code_actions(unsafe, document, EVERYWHERE, ["source.fixAll"]) == []
    assert code_actions([_finding()], document, EVERYWHERE, ["source"]) == []


def test_actions_only_for_findings_in_the_asked_range() -> None:
    document = Document(URI, TEXT)
    elsewhere = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=5)
    )
    assert code_actions([_finding()], document, elsewhere, ["quickfix"]) == []


def test_noqa_extends_an_existing_code_list() -> None:
    text = TEXT.replace(", y)\n", ", y)  # noqa: E501\n")
    document = Document(URI, text)
    action = noqa_action(_finding(), document)
    fixed = _apply(action, text)
    assert fixed.splitlines()[4].endswith("# noqa: E501, LL001")
    assert lint_bytes(fixed.encode(), "train.py") == []


def test_noqa_goes_after_an_existing_comment_and_silences() -> None:
    text = TEXT.replace(", y)\n", ", y)  # the loss\n")
    fixed = _apply(noqa_action(_finding(), Document(URI, text)), text)
    assert fixed.splitlines()[4].endswith("# the loss  # noqa: LL001")
    assert lint_bytes(fixed.encode(), "train.py") == []


def test_no_noqa_where_a_comment_would_break_the_code() -> None:
    continued = TEXT.replace("return F.cross_entropy(", "return \\\n        F.cross_entropy(")
    document = Document(URI, continued)
    backslash = _finding(line=5)
    assert document.lines[4].endswith("\\")
    assert noqa_action(backslash, document) is None

    in_string = 'x = f("""a\nb""", 1)\n'
    document = Document(URI, in_string)
    location = Location(PATH, 1, 1, 2, 9)
    assert noqa_action(Diagnostic("LL001", "m", location), document) is None
    assert noqa_action(Diagnostic("LL000", "cannot parse", Location(PATH, 1, 1)), document) is None


def test_diagnostic_columns_follow_the_clients_position_encoding() -> None:
    text = 'print("😀", F.cross_entropy(F.softmax(x, dim=1), y))\n'
    location = Location(PATH, 1, text.index("F.cross") + 1, 1, len(text))
    diagnostic = Diagnostic("LL001", "m", location)
    code_points = text.index("F.cross")
    for encoding, expected in (("utf-16", code_points + 1), ("utf-8", code_points + 3)):
        converted = lsp_diagnostic(diagnostic, Document(URI, text, encoding))
        assert converted.range.start.character == expected, encoding
    converted = lsp_diagnostic(diagnostic, Document(URI, text, "utf-32"))
    assert converted.range.start.character == code_points


def test_unparsable_file_is_marked_to_the_end_of_its_line() -> None:
    text = "def f(:\n    pass\n"
    converted = lsp_diagnostic(
        Diagnostic("LL000", "cannot parse", Location(PATH, 1, 7)), Document(URI, text)
    )
    assert (converted.range.start.character, converted.range.end.character) == (6, 7)
    assert converted.code_description.href.endswith("/rules/LL000.md")


def test_buffer_declaring_latin1_keeps_its_columns() -> None:
    text = "# -*- coding: latin-1 -*-\n" + TEXT.replace("return F", 'x = "é"; return F')
    [finding] = lint_document(Document(URI, text))
    line = text.splitlines()[5]
    assert (finding.location.line, finding.location.column) == (6, line.index("F.cross") + 1)


# ------------------------------------------------------------- projects across re-checks
def _two_files(tmp_path):
    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\n\nclass Net(nn.Module):\n"
        "    def forward(self, x):\n        return x.softmax(dim=1)\n"
    )
    train = tmp_path / "train.py"
    train.write_text(
        "import torch.nn as nn\nfrom model import Net\n\n\ndef step(x, y):\n"
        "    return nn.CrossEntropyLoss()(Net()(x), y)\n"
    )
    return train


def test_a_kept_project_gives_the_findings_of_a_fresh_one(tmp_path) -> None:
    from losslint.lsp import Projects

    train = _two_files(tmp_path)
    document = Document(train.as_uri(), train.read_text())
    projects = Projects()
    first = lint_document(document, None, projects.for_path(document.path))
    again = lint_document(document, None, projects.for_path(document.path))
    assert [d.code for d in first] == ["LL001"]
    assert again == first == lint_document(document)


def test_a_project_is_kept_until_a_file_it_read_changes(tmp_path) -> None:
    from losslint.lsp import Projects

    train = _two_files(tmp_path)
    projects = Projects()
    kept = projects.for_path(str(train))
    document = Document(train.as_uri(), train.read_text())
    lint_document(document, None, kept)
    assert projects.for_path(str(train)) is kept
    model = tmp_path / "model.py"
    model.write_text(model.read_text().replace("x.softmax(dim=1)", "x"))
    fresh = projects.for_path(str(train))
    assert fresh is not kept
    assert lint_document(document, None, fresh) == []
