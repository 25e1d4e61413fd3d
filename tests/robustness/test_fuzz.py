"""Generated programs never crash the analysis, and findings stay inside the file."""

from __future__ import annotations

import hypothesmith
from hypothesis import HealthCheck, given, settings

from losslint.linter import lint_bytes

# Torch-flavoured names make the generated code pass the byte prefilter, so the
# whole interpreter runs on it rather than only the prefilter.
PRELUDE = "import torch\nimport torch.nn.functional as F\ncross_entropy = F.cross_entropy\n"


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(hypothesmith.from_grammar() | hypothesmith.from_node())
def test_generated_source_never_crashes(source: str) -> None:
    text = PRELUDE + source
    diagnostics = lint_bytes(text.encode("utf-8", "surrogatepass"), "fuzz.py")
    lines = text.splitlines() or [""]
    for diagnostic in diagnostics:
        assert 1 <= diagnostic.location.line <= len(lines) + 1
        assert diagnostic.location.column >= 1
