"""Registries and factories: classes looked up by name and made later.

``LOSSES["ce"](**kw)`` is a subscript of a dict literal (expressions), and
``build_loss("ce")`` a call whose literal argument is kept (calls). This module holds
what is neither: ``getattr(nn, "CrossEntropyLoss")``, and which classes are worth
passing around (``Trainer(Net, criterion=nn.CrossEntropyLoss)``).
"""

from __future__ import annotations

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.frames import (
    Env,
    Frame,
)
from losslint.analysis.values import (
    Atom,
    Constant,
    ImportRef,
    Value,
)


class Registries:
    """Registries and factories: classes looked up by name and made later."""

    def _builtin_getattr(self, node: cst.Call, env: Env, frame: Frame) -> Value | None:
        """``getattr(obj, "name")`` with a literal name reads ``obj.name``; None when
        ``node`` is not such a call (or ``getattr`` is not the builtin)."""
        if not (isinstance(node.func, cst.Name) and node.func.value == "getattr"):
            return None
        if len(node.args) not in (2, 3) or any(arg.keyword or arg.star for arg in node.args):
            return None
        if "getattr" in env or "getattr" in self._module_globals(frame):
            return None
        names = self.eval(node.args[1].value, env, frame).all(Constant)
        if len(names) != 1 or not isinstance(names[0].value, str):
            return None
        base = self._resolve(self.eval(node.args[0].value, env, frame), frame)
        if len(node.args) == 3:
            self.eval(node.args[2].value, env, frame)
        return self.attribute(base, names[0].value, frame)


def is_torch_class(atom: Atom) -> bool:
    """A torch loss or activation class, passed to be instantiated later."""
    if not isinstance(atom, ImportRef):
        return False
    name = torchapi.canonical(atom.qualname)
    return name in torchapi.LOSS_CLASSES or name in torchapi.ACTIVATION_CLASSES
