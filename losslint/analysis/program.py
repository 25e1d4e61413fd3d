"""The program being analysed: source files, and the classes and functions in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst
from libcst.metadata.position_provider import CodeRange, PositionProvider
from libcst.metadata.wrapper import MetadataWrapper

from losslint.diagnostics import Location

# What a scope binds: name -> losslint.analysis.values.Value. Typed loosely on purpose:
# the value lattice refers to this program model, never the other way round.
Bindings = dict[str, Any]

if TYPE_CHECKING:
    from losslint.notebook import Notebook


@dataclass(eq=False)
class SourceFile:
    """One parsed file. Positions are computed only when something is reported."""

    path: str
    module: cst.Module
    notebook: Notebook | None = None  # set for .ipynb: positions are then cell positions
    _positions: dict[cst.CSTNode, CodeRange] | None = field(default=None, repr=False)

    def position(self, node: cst.CSTNode) -> CodeRange:
        if self._positions is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions = dict(wrapper.resolve(PositionProvider))
        return self._positions[node]

    def location(self, node: cst.CSTNode, note: str = "") -> Location:
        span = self.position(node)
        location = Location(
            path=self.path,
            line=span.start.line,
            column=span.start.column + 1,
            end_line=span.end.line,
            end_column=span.end.column + 1,
            note=note,
        )
        return self.notebook.place(location) if self.notebook is not None else location

    def sort_key(self, node: cst.CSTNode) -> tuple[str, int, int]:
        span = self.position(node)
        return (self.path, span.start.line, span.start.column)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)


@dataclass(eq=False)
class FunctionInfo:
    """A ``def``: where it is, what it closes over, and the class that owns it."""

    node: cst.FunctionDef
    source: SourceFile
    closure: Bindings
    owner: ClassInfo | None = None
    returns_value: bool | None = None  # has a `return <value>`; computed on first need

    @property
    def name(self) -> str:
        return self.node.name.value

    @property
    def qualname(self) -> str:
        return f"{self.owner.name}.{self.name}" if self.owner else self.name


@dataclass(eq=False)
class ClassInfo:
    """A ``class``: its methods, its class-level names and its user-defined bases."""

    node: cst.ClassDef
    source: SourceFile
    bases: tuple[ClassInfo, ...]
    body_env: Bindings
    methods: dict[str, FunctionInfo] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.node.name.value

    def find_method(self, name: str) -> FunctionInfo | None:
        """The method ``name`` as Python's attribute lookup finds it (depth-first MRO)."""
        if name in self.methods:
            return self.methods[name]
        for base in self.bases:
            found = base.find_method(name)
            if found is not None:
                return found
        return None
