"""Statements: assignment, control flow, loops to a fixpoint, imports, binding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import libcst as cst

from losslint.analysis import torchapi
from losslint.analysis.events import (
    Accumulation,
)
from losslint.analysis.frames import (
    LOOP_ITERATIONS,
    Env,
    Frame,
    Iteration,
    join_envs,
    keeping,
    rebound_in,
)
from losslint.analysis.program import FunctionInfo
from losslint.analysis.project import STAR_IMPORTS, absolute_module
from losslint.analysis.syntax import (
    body_of,
    dotted_name,
    item_of,
    unsubscript,
)
from losslint.analysis.torch_calls import (
    batch_of,
    is_no_grad,
    training_branch,
)
from losslint.analysis.values import (
    UNKNOWN,
    FunctionRef,
    ImportRef,
    TupleValue,
    Value,
)


class Statements:
    """Statements: assignment, control flow, loops to a fixpoint, imports, binding."""

    def exec_block(self, stmts: Sequence[cst.CSTNode], env: Env | None, frame: Frame):
        for stmt in stmts:
            if env is None:
                return None
            env = self.exec_stmt(stmt, env, frame)
        return env

    def exec_stmt(self, stmt: cst.CSTNode, env: Env, frame: Frame) -> Env | None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                env = self.exec_small(small, env, frame)
                if env is None:
                    return None
            return env
        handler = getattr(self, f"_exec_{type(stmt).__name__}", None)
        if handler is not None:
            return handler(stmt, env, frame)
        return env

    def exec_small(self, stmt: cst.BaseSmallStatement, env: Env, frame: Frame) -> Env | None:
        if isinstance(stmt, cst.Assign):
            value = self.eval(stmt.value, env, frame)
            for target in stmt.targets:
                accumulates = self._accumulation_by_assign(target.target, stmt, env, frame)
                self.bind(target.target, value, env, keeping(frame) if accumulates else frame)
            return env
        if isinstance(stmt, cst.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.eval(stmt.value, env, frame), env, frame)
            return env
        if isinstance(stmt, cst.AugAssign):
            return self._exec_aug_assign(stmt, env, frame)
        if isinstance(stmt, cst.Expr):
            self.eval(stmt.value, env, frame)
            return env
        if isinstance(stmt, cst.Return):
            value = self.eval(stmt.value, env, frame) if stmt.value is not None else UNKNOWN
            frame.returns.append(value)
            if frame.reporting or frame.keep_return_envs:
                frame.return_envs.append(dict(env))
            return None
        if isinstance(stmt, cst.Raise):
            if stmt.exc is not None:
                self.eval(stmt.exc, env, frame)
            return None
        if isinstance(stmt, (cst.Break, cst.Continue)):
            frame.loop_exits.append(dict(env))
            return None
        if isinstance(stmt, cst.Import):
            self._exec_import(stmt, env)
            return env
        if isinstance(stmt, cst.ImportFrom):
            self._exec_import_from(stmt, env)
            return env
        if isinstance(stmt, cst.Del):
            self._delete(stmt.target, env)
            return env
        if isinstance(stmt, cst.Assert):
            self.eval(stmt.test, env, frame)
            return env
        return env

    def _exec_aug_assign(self, stmt: cst.AugAssign, env: Env, frame: Frame) -> Env:
        current = self.eval(stmt.target, env, frame)
        value = self.eval(stmt.value, env, frame)
        if isinstance(stmt.operator, cst.AddAssign):
            self._accumulate(stmt, stmt.target, value, stmt.value, frame)
        result = self._binary(current, value, stmt.operator, stmt.value)
        accumulates = isinstance(stmt.operator, cst.AddAssign)
        self.bind(stmt.target, result, env, keeping(frame) if accumulates else frame)
        return env

    def _accumulation_by_assign(self, target, stmt: cst.Assign, env: Env, frame: Frame) -> bool:
        """``total = total + value`` reads like ``total += value``."""
        expr = stmt.value
        if not (isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add)):
            return False
        name = dotted_name(target)
        if name is None or dotted_name(expr.left) != name:
            return False
        value = self.eval(expr.right, dict(env), replace(frame, reporting=False))
        self._accumulate(stmt, target, value, expr.right, frame)
        return True

    def _accumulate(self, node, target, value: Value, value_node, frame: Frame) -> None:
        if frame.reporting:
            name = dotted_name(target) or self._file(frame).code(target)
            root = dotted_name(unsubscript(target))
            carried = tuple(
                it.loop for it in frame.iterations if root and not rebound_in(root, it.rebound)
            )
            self.listener.on_accumulate(
                Accumulation(node, name, value, value_node, self._context(frame), carried)
            )

    def _exec_If(self, stmt: cst.If, env: Env, frame: Frame) -> Env | None:
        self.eval(stmt.test, env, frame)
        branch = training_branch(stmt.test) if frame.training_only else None
        if branch is None:
            # A test known for certain (a flag no visible caller changes): what the other
            # branch binds does not flow on. A reporting walk still reports inside it
            # (a softmax without dim is one wherever it is).
            decided = self.truth(stmt.test, env, frame)
            if decided is not None:
                if frame.reporting:
                    self._walk_untaken(stmt, decided, env, frame)
                if decided:
                    return self.exec_block(body_of(stmt), env, frame)
                if stmt.orelse is None:
                    return env
                if isinstance(stmt.orelse, cst.If):
                    return self._exec_If(stmt.orelse, env, frame)
                return self.exec_block(body_of(stmt.orelse), env, frame)
        body_env = self.exec_block(body_of(stmt), dict(env), frame) if branch is not False else None
        if stmt.orelse is None:
            else_env = dict(env)
        elif isinstance(stmt.orelse, cst.If):
            else_env = self._exec_If(stmt.orelse, dict(env), frame)
        else:
            else_env = self.exec_block(body_of(stmt.orelse), dict(env), frame)
        if branch is True:
            return body_env
        if branch is False:
            return else_env
        return join_envs(body_env, else_env)

    def _walk_untaken(self, stmt: cst.If, decided: bool, env: Env, frame: Frame) -> None:
        """Walk the branch a certain test skips, for its reports only: nothing it binds,
        returns or breaks with reaches the frame."""
        aside = replace(frame, returns=[], loop_exits=[], return_envs=[])
        if not decided:
            self.exec_block(body_of(stmt), dict(env), aside)
        elif isinstance(stmt.orelse, cst.If):
            self._exec_If(stmt.orelse, dict(env), aside)
        elif stmt.orelse is not None:
            self.exec_block(body_of(stmt.orelse), dict(env), aside)

    def _exec_For(self, stmt: cst.For, env: Env, frame: Frame) -> Env | None:
        iterated = self.eval(stmt.iter, env, frame)
        item = self._iteration_value(iterated)
        if item.is_unknown:  # a data loader's batches
            item = self._iterated(stmt.iter, iterated, env, frame)

        def enter(loop_env: Env, loop_frame: Frame) -> Env:
            self.bind(stmt.target, item, loop_env, loop_frame)
            return loop_env

        unrolled = self._unrolled(stmt, iterated, env, frame)
        after = self._loop(stmt, env, frame, enter)
        return unrolled if unrolled is not None and after is not None else after

    def _iterated(self, node: cst.BaseExpression, value: Value, env: Env, frame: Frame) -> Value:
        """What one step of ``for ... in node`` binds: known for a data loader's batches,
        also through ``enumerate(loader)`` and ``tqdm(loader)``; unknown for anything
        else (``zip(a, b)``)."""
        first = node.args[0] if isinstance(node, cst.Call) and node.args else None
        if first is not None and first.keyword is None and not first.star:
            quiet = replace(frame, reporting=False)
            is_enumerate = (
                isinstance(node.func, cst.Name)
                and node.func.value == "enumerate"
                and self.lookup("enumerate", env, frame).is_unknown
            )
            wrapper = not is_enumerate and any(
                isinstance(atom, ImportRef)
                and torchapi.canonical(atom.qualname) in torchapi.ITERATION_WRAPPERS
                for atom in self.eval(node.func, dict(env), quiet)
            )
            if is_enumerate or wrapper:
                inner = self.eval(first.value, dict(env), quiet)
                batch = self._iterated(first.value, inner, env, frame)
                if is_enumerate:
                    return (
                        Value.of(TupleValue((UNKNOWN, batch))) if batch.all(TupleValue) else UNKNOWN
                    )
                return batch
        return batch_of(value, node, self._file(frame))

    def _exec_While(self, stmt: cst.While, env: Env, frame: Frame) -> Env | None:
        def enter(loop_env: Env, loop_frame: Frame) -> Env:
            self.eval(stmt.test, loop_env, loop_frame)
            return loop_env

        return self._loop(stmt, env, frame, enter)

    def _loop(self, stmt, env: Env, frame: Frame, enter) -> Env | None:
        """Run the body to a fixpoint quietly, then once more reporting, from that state."""
        state = dict(env)
        quiet = replace(frame, reporting=False, loop_depth=frame.loop_depth + 1, loop_exits=[])
        converged = False
        for _ in range(LOOP_ITERATIONS):
            quiet.iterations = (*frame.iterations, Iteration(stmt))
            body_env = self.exec_block(body_of(stmt), enter(dict(state), quiet), quiet)
            joined = join_envs(state, body_env, *quiet.loop_exits)
            quiet.loop_exits.clear()
            if joined == state:
                converged = True
                break
            state = joined
        if converged and not frame.reporting:
            # The last walk started from this state and left it as it was: walking it once
            # more, quietly, would too (in a nest of loops, that walk was a third of them).
            after = state
        else:
            final = replace(frame, loop_depth=frame.loop_depth + 1, loop_exits=[])
            final.iterations = (*frame.iterations, Iteration(stmt))
            body_env = self.exec_block(body_of(stmt), enter(dict(state), final), final)
            after = join_envs(state, body_env, *final.loop_exits)
        if stmt.orelse is not None and after is not None:
            after = self.exec_block(body_of(stmt.orelse), after, frame)
        return after

    def _exec_With(self, stmt: cst.With, env: Env, frame: Frame) -> Env | None:
        inner = frame
        for item in stmt.items:
            self.eval(item.item, env, frame)
            if isinstance(item.item, cst.Call):
                callee = self.eval(item.item.func, dict(env), replace(frame, reporting=False))
                if is_no_grad(callee):
                    inner = replace(frame, no_grad=True)
            if item.asname is not None:
                self.bind(item.asname.name, UNKNOWN, env, frame)
        # `inner` shares the frame's lists, so returns and loop exits reach the frame.
        return self.exec_block(body_of(stmt), env, inner)

    def _exec_Try(self, stmt, env: Env, frame: Frame) -> Env | None:
        body_env = self.exec_block(body_of(stmt), dict(env), frame)
        outcomes = []
        handler_start = join_envs(env, body_env)
        for handler in stmt.handlers:
            start = dict(handler_start)
            if handler.name is not None:
                self.bind(handler.name.name, UNKNOWN, start, frame)
            outcomes.append(self.exec_block(body_of(handler), start, frame))
        if stmt.orelse is not None and body_env is not None:
            body_env = self.exec_block(body_of(stmt.orelse), body_env, frame)
        result = join_envs(body_env, *outcomes)
        if stmt.finalbody is not None:
            result = self.exec_block(body_of(stmt.finalbody), result or dict(env), frame)
        return result

    _exec_TryStar = _exec_Try

    def _exec_Match(self, stmt: cst.Match, env: Env, frame: Frame) -> Env | None:
        self.eval(stmt.subject, env, frame)
        outcomes = [self.exec_block(body_of(case), dict(env), frame) for case in stmt.cases]
        return join_envs(env, *outcomes)

    def _exec_FunctionDef(self, stmt: cst.FunctionDef, env: Env, frame: Frame) -> Env:
        closure = dict(env) if frame.function is not None else {}
        info = FunctionInfo(node=stmt, source=self._file(frame), closure=closure)
        env[stmt.name.value] = Value.of(FunctionRef(info))
        if frame.reporting:
            self._pending.append((info, False))
        return env

    def _exec_import(self, stmt: cst.Import, env: Env) -> None:
        for alias in stmt.names:
            dotted = dotted_name(alias.name)
            if dotted is None:
                continue
            if alias.asname is not None:
                self._kill(dotted_name(alias.asname.name) or "", env)
                env[dotted_name(alias.asname.name) or dotted] = self._imported(dotted)
            else:
                top = dotted.split(".", 1)[0]
                self._kill(top, env)
                env[top] = Value.of(ImportRef(top))

    def _exec_import_from(self, stmt: cst.ImportFrom, env: Env) -> None:
        module = dotted_name(stmt.module) if stmt.module is not None else ""
        dots = "." * len(stmt.relative)
        base = f"{dots}{module}" if module else dots
        if dots and self.module_name is not None:
            base = absolute_module(base, self.module_name, self.is_package) or base
        if isinstance(stmt.names, cst.ImportStar):
            for name in star_names(base):
                env[name] = Value.of(ImportRef(f"{base}.{name}"))
            if base not in _STAR_EXPORTS and not base.startswith("."):
                # A module of the project, perhaps: what it binds is looked up on use
                # (a package's `__init__` may star-import every module of a zoo).
                modules = env.get(STAR_IMPORTS, Value.of(TupleValue(())))
                env[STAR_IMPORTS] = modules.map(
                    lambda atom: Value.of(TupleValue((*_items(atom), Value.of(ImportRef(base)))))
                )
            return
        for alias in stmt.names:
            name = dotted_name(alias.name) or ""
            local = dotted_name(alias.asname.name) if alias.asname is not None else name
            qualname = f"{base}.{name}" if not base.endswith(".") else f"{base}{name}"
            self._kill(local or name, env)
            env[local or name] = self._imported(qualname)

    def bind(self, target: cst.BaseExpression, value: Value, env: Env, frame: Frame) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            starred = any(isinstance(e, cst.StarredElement) for e in elements)
            for index, element in enumerate(elements):
                part = UNKNOWN if starred else item_of(value, index, len(elements))
                inner = element.value
                self.bind(inner, part, env, frame)
            return
        if isinstance(target, cst.Subscript):
            self.eval(target.value, env, frame)
            self._store_item(target, value, env, frame)
            return
        name = dotted_name(target)
        if name is None:
            return
        self._kill(name, env)
        env[name] = value
        for iteration in frame.iterations:
            iteration.rebound.add(name)

    @staticmethod
    def _kill(name: str, env: Env) -> None:
        """Rebinding ``x`` forgets what was known of ``x.attr``."""
        prefix = name + "."
        for key in [key for key in env if key.startswith(prefix)]:
            del env[key]

    def _delete(self, target, env: Env) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._delete(element.value, env)
            return
        if isinstance(target, cst.Subscript) and dotted_name(target.value) is not None:
            self._forget_items(dotted_name(target.value), env)  # `del layers[-1]`
            return
        name = dotted_name(target)
        if name is not None:
            env.pop(name, None)
            self._kill(name, env)


_STAR_EXPORTS = {
    "torch.nn": sorted(torchapi.BARE_NN_NAMES),
    "torch.nn.functional": sorted(
        {n.rsplit(".", 1)[1] for n in torchapi.LOSS_FUNCTIONS}
        | {n.rsplit(".", 1)[1] for n in torchapi.ACTIVATION_FUNCTIONS if "functional" in n}
        | {"one_hot"}
    ),
}


def _items(atom) -> tuple[Value, ...]:
    return atom.items if isinstance(atom, TupleValue) else ()


def star_names(module: str) -> list[str]:
    return _STAR_EXPORTS.get(module, [])
