"""What a fix needs to know about the tree around a finding.

The analysis answers "what does this value hold"; a fix also asks syntactic
questions the analysis does not keep: which statement holds a node, which block
that statement sits in, whether a name is read anywhere else or rebound in
between. They are answered here from one parent map per file, built only when a
finding asks for a fix.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence

import libcst as cst

from losslint.analysis.program import SourceFile
from losslint.analysis.syntax import children, target_names

# Calls that can read any local by name: a variable "used nowhere else" is not
# provably so in their presence.
_INTROSPECTION = frozenset({"locals", "vars", "eval", "exec", "globals"})
# Module names a file with no torch import may use unbound (DESIGN.md, "Names").
_CONVENTIONAL_MODULES = frozenset({"torch", "nn", "F"})

Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement


class Tree:
    """Parent links and the names a file binds by import.

    Parent links are made on demand, along the path from the module down to the node
    asked about (found by position): a fix pays for the few nodes it looks at, not
    for the whole file.
    """

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.module = source.module
        self._parents: dict[cst.CSTNode, cst.CSTNode] = {}
        # Walks are the cost of a fix: each scope is indexed once, each statement read once.
        self._names: dict[cst.CSTNode, dict[str, list[cst.Name]] | None] = {}
        self._bound: dict[cst.CSTNode, frozenset[str]] = {}
        self.imported = _imported_names(self.module)

    def occurrences(self, scope: cst.CSTNode, name: str) -> list[cst.Name] | None:
        """Every appearance of ``name`` as a variable in ``scope``; None when unknowable."""
        if scope not in self._names:
            self._names[scope] = name_index(scope)
        index = self._names[scope]
        return None if index is None else list(index.get(name, ()))

    def bound(self, statement: cst.CSTNode) -> frozenset[str]:
        """:func:`bound_names` of ``statement``, read once."""
        if statement not in self._bound:
            self._bound[statement] = frozenset(bound_names(statement))
        return self._bound[statement]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        if node not in self._parents:
            self._link(node)
        return self._parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self.parent(node)
        while current is not None:
            yield current
            current = self._parents.get(current)

    def _link(self, node: cst.CSTNode) -> None:
        """Link the path from the module down to ``node``, found by position."""
        if node is self.module:
            return
        try:
            where = self.source.position(node)
        except KeyError:
            return  # not a node of this file
        target = ((where.start.line, where.start.column), (where.end.line, where.end.column))
        current: cst.CSTNode = self.module
        while True:
            below = None
            for child in current.children:
                self._parents[child] = current
                if child is node:
                    return
                if below is None and _holds(self.source, child, target):
                    below = child
            if below is None:
                return
            current = below

    def contains(self, outer: cst.CSTNode, node: cst.CSTNode) -> bool:
        return node is outer or any(a is outer for a in self.ancestors(node))

    def statement(self, node: cst.CSTNode) -> Statement | None:
        """The innermost statement holding ``node``."""
        for current in (node, *self.ancestors(node)):
            if isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return current
        return None

    def scope(self, node: cst.CSTNode) -> cst.CSTNode:
        """The function (or module) whose locals ``node`` reads; lambdas count as functions."""
        for current in self.ancestors(node):
            if isinstance(current, (cst.FunctionDef, cst.Lambda)):
                return current
        return self.module

    def block_of(self, statement: Statement) -> Sequence[cst.CSTNode] | None:
        """The statement list ``statement`` is an element of."""
        parent = self.parent(statement)
        if isinstance(parent, cst.Module):
            return parent.body
        if isinstance(parent, cst.IndentedBlock):
            return parent.body
        return None

    def is_module_name(self, name: str) -> bool:
        """Whether a dotted name's root is a module (``torch``, ``F``), not a value."""
        return name in self.imported or (
            name in _CONVENTIONAL_MODULES and not self.imported & _CONVENTIONAL_MODULES
        )


_TREES: weakref.WeakKeyDictionary[SourceFile, Tree] = weakref.WeakKeyDictionary()


def tree_of(source: SourceFile) -> Tree:
    tree = _TREES.get(source)
    if tree is None or tree.module is not source.module:
        tree = Tree(source)
        _TREES[source] = tree
    return tree


def _holds(source: SourceFile, node: cst.CSTNode, target) -> bool:
    try:
        span = source.position(node)
    except KeyError:
        return False
    start, end = target
    return (span.start.line, span.start.column) <= start and end <= (
        span.end.line,
        span.end.column,
    )


def dotted(node: cst.CSTNode) -> str | None:
    """``self.head`` for an attribute chain of names, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    return None


def read_names(node: cst.CSTNode) -> set[str]:
    """Every name ``node`` mentions as a variable (not attribute or keyword names)."""
    return {name.value for name in _variable_names(node)}


def name_index(scope: cst.CSTNode) -> dict[str, list[cst.Name]] | None:
    """Every name used as a variable in ``scope`` (nested scopes included), by name.

    None when the scope calls ``locals()``, ``eval`` and the like, which can read any
    name without writing it.
    """
    for call in _walk(scope):
        if isinstance(call, cst.Call) and dotted(call.func) in _INTROSPECTION:
            return None
    names: dict[str, list[cst.Name]] = {}
    for node in _variable_names(scope):
        names.setdefault(node.value, []).append(node)
    return names


def bound_names(node: cst.CSTNode) -> set[str]:
    """Names ``node`` may (re)bind: assignments, loops, imports, ``del``, ``global``, defs."""
    found: set[str] = set()
    for current in _walk(node):
        targets: list[cst.CSTNode] = []
        if isinstance(current, cst.AssignTarget):
            targets.append(current.target)
        elif isinstance(current, (cst.AugAssign, cst.AnnAssign)):
            targets.append(current.target)
        elif isinstance(current, (cst.For, cst.CompFor)):
            targets.append(current.target)
        elif isinstance(current, cst.NamedExpr):
            targets.append(current.target)
        elif isinstance(current, cst.AsName):
            targets.append(current.name)
        elif isinstance(current, cst.Del):
            targets.append(current.target)
        elif isinstance(current, (cst.FunctionDef, cst.ClassDef)):
            found.add(current.name.value)
        elif isinstance(current, (cst.Global, cst.Nonlocal)):
            found.update(item.name.value for item in current.names)
        elif isinstance(current, cst.ImportAlias) and current.asname is None:
            found.add((dotted(current.name) or "").split(".", 1)[0])
        elif isinstance(current, (cst.MatchAs, cst.MatchStar)) and current.name is not None:
            found.add(current.name.value)
        elif isinstance(current, cst.MatchMapping) and current.rest is not None:
            found.add(current.rest.value)
        for target in targets:
            found.update(target_names(target, through_parts=True))
    return found


def comments(node: cst.CSTNode) -> list[str]:
    return [current.value for current in _walk(node) if isinstance(current, cst.Comment)]


def _variable_names(node: cst.CSTNode) -> Iterator[cst.Name]:
    skip: set[int] = set()
    for current in _walk(node):
        if isinstance(current, cst.Attribute):
            skip.add(id(current.attr))
        elif isinstance(current, cst.Arg) and current.keyword is not None:
            skip.add(id(current.keyword))
        elif isinstance(current, cst.Name) and id(current) not in skip:
            yield current


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included), parents before children, in the
    order of their fields."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def _imported_names(module: cst.Module) -> frozenset[str]:
    """Names bound by the imports of the module's own body (and its ``if``/``try`` blocks)."""
    names: set[str] = set()
    stack: list[cst.CSTNode] = list(module.body)
    while stack:
        node = stack.pop()
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                names |= _bound_by_import(small)
        elif isinstance(node, (cst.If, cst.Try, cst.TryStar, cst.With, cst.Else, cst.Finally)):
            stack.extend(node.body.body)
            for extra in ("orelse", "handlers", "finalbody"):
                value = getattr(node, extra, None)
                if isinstance(value, (tuple, list)):
                    stack.extend(value)
                elif value is not None:
                    stack.append(value)
        elif isinstance(node, cst.ExceptHandler):
            stack.extend(node.body.body)
    return frozenset(names)


def _bound_by_import(small: cst.CSTNode) -> set[str]:
    names: set[str] = set()
    if isinstance(small, cst.Import):
        for alias in small.names:
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                names.add(alias.asname.name.value)
            else:
                names.add((dotted(alias.name) or "").split(".", 1)[0])
    elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
        for alias in small.names:
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                names.add(alias.asname.name.value)
            else:
                names.add(dotted(alias.name) or "")
    return names
