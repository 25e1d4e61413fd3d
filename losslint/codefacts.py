"""What a file's code names, read from CPython's syntax tree before LibCST parses it.

The bytes tell whether a file mentions a loss or an activation at all; comments and
docstrings mention them everywhere (``# softmax over the heads``). The
syntax tree CPython gives in a fraction of LibCST's time tells more: which names the
code uses, and how a name is used — called, with which arguments, or passed on as a
value (an alias the analysis would follow). A file that no loss reaches, and whose
code holds no place a rule could report, is then never parsed by LibCST nor
interpreted (DESIGN.md, "Speed"). Each rule says what such a place looks like
(:meth:`losslint.checks.base.Check.may_report_without_loss`); this module only
answers their questions, and never imports LibCST.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

# Modules whose ``log`` is not torch's: ``math.log(d)``, ``np.log(x)`` take no tensor
# that carries gradients, and no rule reads them.
_NOT_TORCH_LOG_MODULES = frozenset({"math", "numpy", "cmath"})
_LOGS = frozenset({"log", "log1p"})


class CodeFacts:
    """The names a module's code uses, and each use of a name: a call or anything else.

    Identifiers count wherever they are code: names, attributes, imported names,
    definitions, parameters, keywords, and string literals (a registry's
    ``getattr(F, "softmax")``). Comments and string statements (docstrings) do not.
    """

    def __init__(self, tree: ast.Module) -> None:
        self.identifiers: set[str] = set()
        self.strings: list[str] = []
        # name -> the calls whose function is that name (`f(...)`, `x.f(...)`)
        self._calls: dict[str, list[ast.Call]] = {}
        # names used otherwise than called: read as values, imported under another name
        self._escaping: set[str] = set()
        # names bound by `import m` / `import m as n` / `from p import m`: name -> module
        self._imported_modules: dict[str, str] = {}
        self._collect(tree)

    # ------------------------------------------------------------------ questions
    def mentions(self, patterns: Iterable[bytes]) -> bool:
        """Whether some identifier or string of the code contains one of ``patterns``
        (byte patterns as rules write them: ``b"Loss("`` looks for ``Loss``)."""
        words = [p.decode().rstrip("(") for p in patterns]
        for word in words:
            if any(word in name for name in self.identifiers):
                return True
            if any(word in text for text in self.strings):
                return True
        return False

    def calls_of(self, names: frozenset[str]) -> list[ast.Call] | None:
        """Every call of one of ``names`` (as ``name(...)`` or ``anything.name(...)``);
        None when one of them is also used otherwise — bound to another name, passed as
        an argument, named in a string, imported under another name — since the
        analysis would follow it to calls this list does not hold."""
        if self._escaping & names or any(_names_in_string(names, text) for text in self.strings):
            return None
        return [call for name in names for call in self._calls.get(name, ())]

    def may_call_torch_log(self) -> bool:
        """Whether the code may take a ``log``/``log1p`` the rules read: any use of those
        names other than a call on ``math`` or ``numpy`` imported as such."""
        calls = self.calls_of(_LOGS)
        if calls is None:
            return True
        return any(not self._is_module_function(call, _NOT_TORCH_LOG_MODULES) for call in calls)

    def _is_module_function(self, call: ast.Call, modules: frozenset[str]) -> bool:
        func = call.func
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return False
        module = self._imported_modules.get(func.value.id)
        return module is not None and module.split(".", 1)[0] in modules

    # ------------------------------------------------------------------ the walk
    def _collect(self, tree: ast.Module) -> None:
        calls: dict[int, ast.Call] = {}  # id of a call's function -> the call
        statements: set[int] = set()  # string literals that are whole statements
        stored: set[str] = set()  # names some statement binds otherwise than by import
        imports: dict[str, list[str]] = {}  # name -> the modules imports bind to it
        names: list[ast.Name | ast.Attribute] = []
        for node in ast.walk(tree):
            kind = type(node)
            if kind is ast.Name or kind is ast.Attribute:
                names.append(node)
            elif kind is ast.Call:
                calls[id(node.func)] = node
            elif kind is ast.Constant:
                if type(node.value) is str and id(node) not in statements:
                    self.strings.append(node.value)
            elif kind is ast.Expr:
                # Docstrings, and comments written as strings: nothing the code uses.
                if type(node.value) is ast.Constant and type(node.value.value) is str:
                    statements.add(id(node.value))  # walked after its statement
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._import(node, imports)
            elif kind in _BINDERS:
                bound = getattr(node, _BINDERS[kind])
                if bound is not None:
                    self.identifiers.add(bound)
                    stored.add(bound)
        for node in names:
            if type(node) is ast.Name:
                self._use(node.id, node, calls)
                if type(node.ctx) is ast.Store:
                    stored.add(node.id)
            else:
                self._use(node.attr, node, calls)
        for name, modules in imports.items():
            if len(modules) == 1 and name not in stored:
                self._imported_modules[name] = modules[0]

    def _use(self, name: str, node: ast.Name | ast.Attribute, calls: dict[int, ast.Call]) -> None:
        self.identifiers.add(name)
        call = calls.get(id(node))
        if call is not None:
            self._calls.setdefault(name, []).append(call)
        elif not isinstance(node.ctx, (ast.Store, ast.Del)):
            # Rebinding a name (`self.softmax = nn.Softmax(dim=1)`) makes no alias of
            # what it held; reading it as a value may.
            self._escaping.add(name)

    def _import(self, node: ast.Import | ast.ImportFrom, imports: dict[str, list[str]]) -> None:
        for alias in node.names:
            parts = alias.name.split(".")
            self.identifiers.update(parts)
            if alias.asname is not None:
                self.identifiers.add(alias.asname)
                if alias.asname != parts[-1]:
                    self._escaping.add(parts[-1])  # `import softmax as sm`: `sm(...)` eludes
            if isinstance(node, ast.Import):
                bound = alias.asname or parts[0]
                module = alias.name if alias.asname is not None else parts[0]
            else:
                bound = alias.asname or alias.name
                module = f"{'.' * node.level}{node.module or ''}.{alias.name}"
            imports.setdefault(bound, []).append(module)


def _names_in_string(names: frozenset[str], text: str) -> bool:
    """Whether a string could name one of ``names`` for ``getattr`` or an import path:
    ``"softmax"``, ``"torch.nn.functional.softmax"``."""
    return any(part in names for part in text.split("."))


# Definitions, parameters, keywords and captures: the attribute that holds the name.
_BINDERS: dict[type, str] = {
    ast.FunctionDef: "name",
    ast.AsyncFunctionDef: "name",
    ast.ClassDef: "name",
    ast.arg: "arg",
    ast.keyword: "arg",
    ast.ExceptHandler: "name",
    ast.MatchAs: "name",
    ast.MatchStar: "name",
    ast.MatchMapping: "rest",
}
