"""Containers: lists, dicts and generators of layers and tensors, as real code builds them.

``nn.Sequential(*layers)`` where ``layers`` grew by ``append``/``extend``/``+=`` or a
comprehension; ``nn.ModuleList``/``nn.ModuleDict`` indexed or iterated; predictions
written into a list or dict one model at a time and then stacked or averaged; a
generator that yields ``(x, one_hot)`` pairs to a ``for`` loop.

An exact list is a :class:`TupleValue`; a list whose length is not known is a
:class:`Collection` (what any item may be, and its last items when known). Only the
last layers of a ``Sequential`` decide what it returns, and only what every item may
be decides what stacking them gives, so both answer the questions rules ask.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from losslint.analysis.events import Argument
from losslint.analysis.frames import Env, Frame, rebound_in
from losslint.analysis.syntax import body_of, dotted_name, small_statements
from losslint.analysis.values import (
    UNKNOWN,
    ActivationModule,
    Atom,
    Collection,
    Constant,
    DictValue,
    Instance,
    Kind,
    LayerModule,
    LossModule,
    SequentialModule,
    Tensor,
    TupleValue,
    Value,
    join_all,
)

MAX_EXACT_ITEMS = 16  # a longer exact list keeps only its tail
MAX_TAIL = 4
MAX_UNROLLED = 8  # a loop over more known modules than this runs to a fixpoint instead

# Methods that change a list's or dict's items in ways not followed.
_MUTATORS = frozenset(
    {"pop", "insert", "remove", "reverse", "sort", "clear", "update", "setdefault", "popitem"}
)

_BUILTINS = frozenset({"list", "tuple", "enumerate", "sum", "len"})

_MODULES = (Instance, SequentialModule, LayerModule, ActivationModule, LossModule)


class Containers:
    """Lists, dicts and generators of layers and tensors."""

    # -- reading -----------------------------------------------------------------

    @staticmethod
    def items_of(value: Value) -> Value | None:
        """What any item of ``value`` may be, ignoring empty alternatives (stacking or
        summing an empty list raises); None when some alternative is no known container."""
        found = Value()
        for atom in value:
            if isinstance(atom, TupleValue):
                found = found.join(join_all(atom.items))
            elif isinstance(atom, Collection):
                found = found.join(atom.elements)
            elif isinstance(atom, DictValue):
                found = found.join(join_all(v for _, v in atom.items))
            else:
                return None
        return found if found else None

    def _iteration_value(self, value: Value) -> Value:
        """What a ``for`` loop over ``value`` binds its target to, one step at a time."""
        if not value or any(isinstance(a, DictValue) for a in value):
            return UNKNOWN  # a dict iterates over its keys
        if value.all(Instance):
            # `for x, y in dataset:` where the class's `__iter__` yields the batches.
            return value.map(self._iterated_instance)
        return self.items_of(value) or UNKNOWN

    def _iterated_instance(self, atom: Instance) -> Value:
        method = atom.info.find_method("__iter__")
        if method is None:
            return UNKNOWN
        return self.items_of(self._generated(method, atom, ())) or UNKNOWN

    def _unrolled(self, stmt: cst.For, iterated: Value, env: Env, frame: Frame) -> Env | None:
        """The state after ``for layer in self.layers: x = layer(x)``, walking the known
        modules in order: a fixpoint would join every layer's output into nothing."""
        if len(iterated.atoms) != 1 or stmt.orelse is not None:
            return None
        (atom,) = iterated.atoms
        if not isinstance(atom, TupleValue) or not 0 < len(atom.items) <= MAX_UNROLLED:
            return None
        if not all(item and all(isinstance(a, _MODULES) for a in item) for item in atom.items):
            return None
        if any(
            isinstance(s, (cst.Break, cst.Continue, cst.Return))
            for s in small_statements(stmt.body)
        ):
            return None
        quiet = replace(frame, reporting=False, loop_depth=frame.loop_depth + 1, loop_exits=[])
        state: Env | None = dict(env)
        for item in atom.items:
            if state is None:
                return None
            self.bind(stmt.target, item, state, quiet)
            state = self.exec_block(body_of(stmt), state, quiet)
        return state

    # -- writing -----------------------------------------------------------------

    def _container_after_call(
        self, node: cst.Call, args: tuple[Argument, ...], env: Env, frame: Frame
    ) -> None:
        """``layers.append(m)``, ``layers.extend([...])``: the list's new value."""
        method = node.func.attr.value
        owner = dotted_name(node.func.value)
        if method in _MUTATORS and owner is not None:
            self._forget_items(owner, env)
            return
        if method not in ("append", "extend") or owner is None or len(args) != 1:
            return
        if args[0].star or args[0].keyword is not None:
            return
        current = self.eval(node.func.value, dict(env), replace(frame, reporting=False))
        if not current or not all(isinstance(a, (TupleValue, Collection)) for a in current):
            return
        if method == "append":
            added: Value | None = Value.of(TupleValue((args[0].value,)))
        else:
            added = args[0].value if all_lists(args[0].value) else None
        carried = bool(frame.iterations) and not rebound_in(owner, frame.iterations[-1].rebound)
        env[owner] = (
            concatenate(current, added, carried)
            if added is not None
            else current.map(lambda a: Value.of(opened(a, UNKNOWN)))
        )

    def _forget_items(self, owner: str, env: Env) -> None:
        """``layers.pop()``, ``del layers[-1]``, ``outputs.update(...)``: what was known
        of the items (the last layer) no longer holds."""
        current = env.get(owner)
        if current and any(isinstance(a, (TupleValue, Collection, DictValue)) for a in current):
            env[owner] = UNKNOWN

    def _store_item(self, target: cst.Subscript, value: Value, env: Env, frame: Frame) -> None:
        """``preds[i] = F.softmax(...)``, ``outputs["main"] = logits``."""
        owner = dotted_name(target.value)
        if owner is None or owner not in env:
            return
        current = env[owner]
        if any(isinstance(a, Tensor) and a.kind is Kind.ZEROS for a in current):
            env[owner] = UNKNOWN  # `t[i, c] = v`: no longer zeros for a scatter to make one-hot
            return
        if len(target.slice) != 1:
            return
        if not current or not all(
            isinstance(a, (TupleValue, Collection, DictValue)) for a in current
        ):
            return
        element = target.slice[0].slice
        key = (
            self.eval(element.value, dict(env), replace(frame, reporting=False))
            if isinstance(element, cst.Index)
            else UNKNOWN
        )
        constants = key.all(Constant)
        constant = constants[0].value if len(constants) == 1 else None

        def one(atom: Atom) -> Value:
            if isinstance(atom, DictValue) and isinstance(constant, str):
                items = tuple((k, v) for k, v in atom.items if k != constant)
                return Value.of(DictValue((*items, (constant, value))))
            if isinstance(atom, TupleValue) and isinstance(constant, int):
                if -len(atom.items) <= constant < len(atom.items):
                    items = list(atom.items)
                    items[constant] = value
                    return Value.of(TupleValue(tuple(items)))
            # An index not known: any item may now be this value, the others stay.
            elements = self.items_of(Value.of(atom)) if not is_placeholders(atom) else None
            return Value.of(Collection((elements or Value()).join(value)))

        env[owner] = current.map(one)

    # -- calls -------------------------------------------------------------------

    def _builtin_name(self, func: cst.BaseExpression, env: Env, frame: Frame) -> str | None:
        """``list``, ``sum``, ``enumerate``, ... when the name is Python's own."""
        if not isinstance(func, cst.Name) or func.value not in _BUILTINS:
            return None
        name = func.value
        closure = frame.function.closure if frame.function is not None else {}
        if name in env or name in closure or name in self._module_globals(frame):
            return None
        return name

    def _apply_builtin(self, name: str, args: tuple[Argument, ...]) -> Value:
        """``list(d.values())``, ``enumerate(preds)``: builtins that hand items on."""
        if len(args) != 1 or args[0].star or args[0].keyword is not None:
            return UNKNOWN
        value = args[0].value
        if name in ("list", "tuple"):
            if value and all(isinstance(a, (TupleValue, Collection)) for a in value):
                return value
            return UNKNOWN
        if name == "enumerate":
            items = self._iteration_value(value)
            if items.is_unknown:
                return UNKNOWN
            return Value.of(Collection(Value.of(TupleValue((UNKNOWN, items)))))
        return UNKNOWN

    def _collection_method(self, receiver: Value, name: str, args) -> Value | None:
        """``outputs.values()``, ``heads.items()`` of a dict whose items are known."""
        if not receiver or not all(isinstance(a, (DictValue, Collection)) for a in receiver):
            return None
        if args or name not in ("values", "items"):
            return UNKNOWN

        def one(atom: Atom) -> Value:
            if isinstance(atom, DictValue):
                pairs = [(Value.of(Constant(k)), v) for k, v in atom.items]
            else:
                pairs = [(UNKNOWN, atom.elements)]
            if name == "values":
                return Value.of(TupleValue(tuple(v for _, v in pairs)))
            return Value.of(TupleValue(tuple(Value.of(TupleValue(p)) for p in pairs)))

        return receiver.map(one)

    def _comprehension_value(
        self, node, iterated: Value | None, element: Value, scope: Env, frame: Frame
    ) -> Value:
        """A list comprehension: what any item may be; over known items, the items in
        order (``[head(h) for head in self.heads]`` then ``outputs[-1]``)."""
        clause = node.for_in
        simple = (
            isinstance(node, (cst.ListComp, cst.GeneratorExp))
            and clause.inner_for_in is None
            and not clause.ifs
            and iterated is not None
            and len(iterated.atoms) == 1
        )
        atom = next(iter(iterated.atoms)) if simple else None
        if isinstance(atom, TupleValue) and 0 < len(atom.items) <= MAX_UNROLLED:
            return Value.of(
                TupleValue(self._each(node.elt, clause.target, atom.items, scope, frame))
            )
        if isinstance(atom, Collection) and atom.tail:
            tail = self._each(node.elt, clause.target, atom.tail, scope, frame)
            return Value.of(Collection(element, tail))
        return Value.of(Collection(element))

    def _each(self, elt, target, items, scope: Env, frame: Frame) -> tuple[Value, ...]:
        quiet = replace(frame, reporting=False)
        values = []
        for item in items:
            env = dict(scope)
            self.bind(target, item, env, quiet)
            values.append(self.eval(elt, env, quiet))
        return tuple(values)

    # -- generators --------------------------------------------------------------

    def _generated(self, info, receiver: Atom | None, args: tuple[Argument, ...]) -> Value:
        """Calling a generator function: a collection of what it yields."""
        generator = self._generators.get(info)
        if generator is None:
            generator = self._generators[info] = is_generator(info)
        if not generator:
            return UNKNOWN
        key = ("yield", info, receiver, tuple((a.keyword, a.star, a.value) for a in args))
        if key in self._returns_memo:
            return self._returns_memo[key]
        if key in self._in_progress or self._calls_left <= 0:
            return UNKNOWN
        self._calls_left -= 1
        self._in_progress.add(key)
        sink: list[Value] = []
        outer = self._yield_sink
        self._yield_sink = (info, sink)
        try:
            env = dict(self._bind_parameters(info, receiver, args))
            frame = Frame(function=info, reporting=False, training_only=True)
            self.exec_block(body_of(info.node), env, frame)
        finally:
            self._yield_sink = outer
            self._in_progress.discard(key)
        result = Value.of(Collection(join_all(sink))) if sink else UNKNOWN
        self._returns_memo[key] = result
        return result

    def _eval_Yield(self, node: cst.Yield, env: Env, frame: Frame) -> Value:
        if node.value is None:
            return UNKNOWN
        value = self.eval(node.value, env, frame)
        sink = self._yield_sink
        if sink is not None and frame.function is sink[0] and not isinstance(node.value, cst.From):
            sink[1].append(value)
        return UNKNOWN


def collection_item(atom: Collection, key: Value) -> Value:
    """``layers[-1]`` when the tail is known, else what any item may be."""
    constants = key.all(Constant)
    if len(constants) == 1 and isinstance(constants[0].value, int):
        index = constants[0].value
        if -len(atom.tail) <= index < 0:
            return atom.tail[index]
    return atom.elements or UNKNOWN


def all_lists(value: Value) -> bool:
    return bool(value) and all(isinstance(a, (TupleValue, Collection)) for a in value)


def opened(atom: Atom, more: Value) -> Collection:
    """``atom`` as a collection that may also hold ``more`` (its tail no longer known)."""
    if isinstance(atom, TupleValue):
        return Collection(join_all(atom.items).join(more))
    if isinstance(atom, Collection):
        return Collection(atom.elements.join(more))
    return Collection(UNKNOWN)


def concatenate(left: Value, right: Value, carried: bool = False) -> Value:
    """``left + right`` of lists; ``carried``: in a loop that keeps the list across
    iterations, where its length is not known."""

    def one(a: Atom) -> Value:
        return right.map(lambda b: Value.of(join_two(a, b, carried)))

    return left.map(one)


def join_two(a: Atom, b: Atom, carried: bool) -> Atom:
    b_items = b.items if isinstance(b, TupleValue) else None
    if isinstance(a, TupleValue) and b_items is not None and not carried:
        items = (*a.items, *b_items)
        if len(items) <= MAX_EXACT_ITEMS:
            return TupleValue(items)
        return Collection(join_all(items), items[-MAX_TAIL:])
    elements = Value()
    for side in (a, b):
        if isinstance(side, TupleValue):
            elements = elements.join(join_all(side.items))
        elif isinstance(side, Collection):
            elements = elements.join(side.elements)
        else:
            elements = UNKNOWN
    if b_items is not None:
        before = a.tail if isinstance(a, Collection) and not carried else ()
        if isinstance(a, TupleValue) and not carried:
            before = a.items
        tail = (*before, *b_items)[-MAX_TAIL:]
    elif isinstance(b, Collection):
        tail = b.tail
    else:
        tail = ()
    return Collection(elements, tail)


def is_placeholders(atom: Atom) -> bool:
    """``[None] * n``: a list whose items are all to be written."""
    return isinstance(atom, Collection) and not atom.elements and not atom.tail


def repeated(left: Value, left_node: cst.BaseExpression) -> Value | None:
    """``[None] * n`` / ``[0.0] * n``: placeholders to be written by index;
    ``[nn.Linear(d, d), nn.ReLU()] * depth``: a list that ends with those items."""
    if not isinstance(left_node, cst.List) or not left_node.elements:
        return None
    if len(left_node.elements) == 1:
        item = left_node.elements[0].value
        if isinstance(item, cst.Name) and item.value == "None":
            return Value.of(Collection(Value()))
        if isinstance(item, (cst.Integer, cst.Float)):
            return Value.of(Collection(Value()))
    items = left.all(TupleValue)
    if len(items) != 1 or len(items[0].items) > MAX_TAIL:
        return None
    return Value.of(Collection(join_all(items[0].items), items[0].items))


def is_generator(info) -> bool:
    """Whether a function yields (a statement of its own, not in a nested def)."""
    for statement in small_statements(info.node.body):
        values = []
        if isinstance(statement, cst.Expr):
            values.append(statement.value)
        elif isinstance(statement, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            values.append(statement.value)
        for value in values:
            if isinstance(value, cst.Yield):
                return True
    return False


def sequence_layers(atom: Atom) -> tuple[Value, ...] | None:
    """The layers ``nn.Sequential(*layers)`` gets: an exact list as it is, a list whose
    beginning is not known as an unknown layer followed by its known tail."""
    if isinstance(atom, TupleValue):
        return atom.items
    if isinstance(atom, Collection) and atom.tail:
        return (UNKNOWN, *atom.tail)
    return None
