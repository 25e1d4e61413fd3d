"""How a fix names a torch module in the file it edits, adding an import if it must.

A fix that writes ``F.logsigmoid(x)`` uses the file's own alias of
``torch.nn.functional`` when it has one (``import torch.nn.functional as fn`` gives
``fn.logsigmoid``); otherwise it adds ``import torch.nn.functional as F`` below the
file's imports, provided nothing else in the file is called ``F``.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from losslint.analysis.program import SourceFile
from losslint.diagnostics import Edit
from losslint.fixes.tree import Tree, dotted

FUNCTIONAL = "torch.nn.functional"
NN = "torch.nn"
TORCH = "torch"
_NEW_ALIAS = {
    FUNCTIONAL: ("F", "import torch.nn.functional as F"),
    NN: ("nn", "import torch.nn as nn"),
    TORCH: ("torch", "import torch"),
}
# What a file with no torch import means by these (DESIGN.md, "Names").
_CONVENTIONAL = {"torch": "torch", "nn": NN, "F": FUNCTIONAL}


@dataclass(frozen=True)
class ModuleName:
    """The code that names a module here, and the edit adding its import (if needed)."""

    code: str
    import_edit: Edit | None = None

    def attribute(self, name: str) -> cst.Attribute:
        return cst.parse_expression(f"{self.code}.{name}")

    @property
    def edits(self) -> tuple[Edit, ...]:
        return (self.import_edit,) if self.import_edit is not None else ()


def module_names(tree: Tree) -> dict[str, str]:
    """Local name -> the torch module it is bound to by a top-level import."""
    names: dict[str, str] = {}
    for statement in tree.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    full = dotted(alias.name) or ""
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        names[alias.asname.name.value] = full
                    else:
                        names[full.split(".", 1)[0]] = full.split(".", 1)[0]
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                base = dotted(small.module) if small.module is not None else None
                if base is None or small.relative:
                    continue
                for alias in small.names:
                    name = dotted(alias.name) or ""
                    local = name
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        local = alias.asname.name.value
                    names[local] = f"{base}.{name}"
    if not any(qualname.split(".", 1)[0] == "torch" for qualname in names.values()):
        for local, qualname in _CONVENTIONAL.items():
            names.setdefault(local, qualname)
    return names


def resolve(tree: Tree, expression: cst.CSTNode) -> str | None:
    """``torch.nn.functional`` for ``F`` or ``nn.functional``: the module a dotted name is."""
    name = dotted(expression)
    if name is None:
        return None
    root, _, rest = name.partition(".")
    base = module_names(tree).get(root)
    if base is None:
        return None
    return f"{base}.{rest}" if rest else base


def name_module(source: SourceFile, tree: Tree, module: str) -> ModuleName | None:
    """How to write ``module`` (``torch.nn.functional``) in this file."""
    names = module_names(tree)
    direct = sorted(local for local, qualname in names.items() if qualname == module)
    if direct:
        return ModuleName(direct[0])
    parents = sorted(
        (local, qualname)
        for local, qualname in names.items()
        if module.startswith(f"{qualname}.") and qualname.startswith("torch")
    )
    alias, statement = _NEW_ALIAS.get(module, (None, None))
    if alias is not None and tree.occurrences(tree.module, alias) == []:
        edit = _add_import(source, tree, statement)
        if edit is not None:
            return ModuleName(alias, edit)
    if parents:
        # The longest known prefix: ``nn.functional`` rather than ``torch.nn.functional``.
        local, qualname = max(parents, key=lambda item: len(item[1]))
        return ModuleName(local + module[len(qualname) :])
    return None


def _add_import(source: SourceFile, tree: Tree, statement: str) -> Edit | None:
    """Insert ``statement`` after the file's leading imports (or docstring)."""
    body = tree.module.body
    after = None
    for index, item in enumerate(body):
        if _is_import(item) or (index == 0 and _is_docstring(item)):
            after = item
            continue
        break
    newline = source.module.default_newline
    if after is None:
        if body:
            position = source.position(body[0])
            line = position.start.line
            # Leading comments and blank lines belong to the first statement: go above them.
            line -= sum(1 for _ in body[0].leading_lines)
        else:
            line = len(tree.module.header) + 1
        return Edit(line, 1, line, 1, f"{statement}{newline}")
    position = source.position(after)
    line = position.end.line + 1
    return Edit(line, 1, line, 1, f"{statement}{newline}")


def _is_import(item: cst.CSTNode) -> bool:
    return isinstance(item, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in item.body
    )


def _is_docstring(item: cst.CSTNode) -> bool:
    return (
        isinstance(item, cst.SimpleStatementLine)
        and len(item.body) == 1
        and isinstance(item.body[0], cst.Expr)
        and isinstance(item.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )
