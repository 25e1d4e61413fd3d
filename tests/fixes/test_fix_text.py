"""Source text for fixes: decoded as Python does, written back byte for byte."""

from __future__ import annotations

import pytest

from losslint.diagnostics import Edit
from losslint.fixes.text import NotRoundTrip, SourceText, apply_edits, edits_overlap, split_lines


@pytest.mark.parametrize(
    "data",
    [
        b"x = 1\n",
        b"x = 1\r\ny = 2\r\n",
        b"x = 1",  # no final newline
        "\ufeffx = 'é'\n".encode(),  # BOM
        "# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1"),
        b"x = 1\ry = 2\r",  # old Mac line ends
    ],
)
def test_decode_encode_round_trips(data: bytes) -> None:
    assert SourceText.decode(data).encode() == data


def test_bom_is_kept_out_of_the_text_and_put_back() -> None:
    source = SourceText.decode("\ufeffx = 1\n".encode())
    assert source.text == "x = 1\n" and source.encoding == "utf-8-sig"
    assert source.with_text("y = 2\n").encode() == "\ufeffy = 2\n".encode()


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(NotRoundTrip):
        SourceText.decode(b"x = '\xe9'\n")


def test_edits_use_one_based_code_point_columns() -> None:
    text = "s = 'é😀'; y = f(a)\n"
    column = text.index("f(a)") + 1
    edit = Edit(1, column, 1, column + 4, "g(b)")
    assert apply_edits(text, [edit]) == "s = 'é😀'; y = g(b)\n"


def test_edits_spanning_lines_and_deleting_whole_lines() -> None:
    text = "a = 1\r\nb = 2\r\nc = 3\r\n"
    assert apply_edits(text, [Edit(2, 1, 3, 1, "")]) == "a = 1\r\nc = 3\r\n"
    assert apply_edits("a = 1", [Edit(2, 1, 2, 1, "\nb = 2")]) == "a = 1\nb = 2"


def test_overlapping_edits_are_refused() -> None:
    text = "value = compute(a, b)\n"
    first = Edit(1, 9, 1, 22, "x")
    second = Edit(1, 17, 1, 18, "z")
    with pytest.raises(ValueError):
        apply_edits(text, [first, second])
    assert edits_overlap([first], [second], text)
    insert = Edit(1, 1, 1, 1, "# a\n")
    assert edits_overlap([insert], [Edit(1, 1, 1, 1, "# b\n")], text)  # same point: no order
    assert not edits_overlap([insert], [second], text)


def test_edit_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError):
        apply_edits("a = 1\n", [Edit(1, 10, 1, 11, "")])


def test_split_lines_only_at_python_line_breaks() -> None:
    assert split_lines("a\x0cb\r\nc\rd\ne") == ["a\x0cb\r\n", "c\r", "d\n", "e"]
