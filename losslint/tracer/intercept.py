"""The only code on the training step's hot path: patched loss entry points.

Only the loss functions of ``torch.nn.functional`` and the ``forward`` of the
``nn`` loss classes are replaced; every other op runs untouched, which is why the
tracer costs a few percent of a small MLP's step where an empty
``TorchFunctionMode`` (which sees every op) costs 1.35-1.5x (see
``benchmarks/trace_overhead.py``). A wrapped call:

1. passes straight through when ``torch.compile`` is tracing it (the compiled
   graph must not contain the tracer), when the tracer is inactive (a wrapper
   captured by someone while tracing outlives it), and when it is nested inside
   an already-handled call (``CrossEntropyLoss.forward`` calls
   ``F.cross_entropy``: one user call is checked once);
2. finds its call site (the first frame outside torch and losslint) and passes
   through once that site has used its budget of checked calls: one frame lookup
   and one dict lookup (``_slow_site`` explains the shortcut), plus, for a site
   whose target range is watched (``watch.py``), one ``aminmax`` of the target;
3. otherwise runs the checks before the real call (out-of-range targets make
   torch raise, or assert on CUDA, so the finding must exist first), makes the
   real call, and reports.

The tracer never changes a loss's result, and an error inside the checks is
swallowed: only ``LossMisuseError`` (strict mode) and the loss's own errors
reach the user.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import types
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from losslint.tracer import calls, checks, report, sites, watch
from losslint.tracer.session import STATE, SiteState

_is_compiling = torch.compiler.is_compiling
_getframe = sys._getframe
# Frames from a loss's forward up to whoever called the module: forward <- _call_impl
# <- _wrapped_call_impl <- caller (torch >= 2.1); torch 2.0 has no _wrapped_call_impl.
_MODULE_CALL_DEPTH = 3 if hasattr(nn.Module, "_wrapped_call_impl") else 2
_internal_files = sites.internal_files
# id(code of a torch caller) -> (that code, frames from it to the user's frame)
_depth_hints: dict[int, tuple[CodeType, int]] = {}
_DEBUG = bool(os.environ.get("LOSSLINT_TRACE_DEBUG"))


class _Local(threading.local):
    depth = 0  # > 0 while a handled loss call (or the tracer's own work) is running


_local = _Local()

# What was there before install(): restored by identity on uninstall().
_saved_functions: dict[str, Any] = {}
_saved_forwards: dict[type, Any] = {}


def _is_internal(frame: FrameType) -> bool:
    filename = frame.f_code.co_filename
    flag = _internal_files.get(filename)
    return sites.is_internal(filename) if flag is None else flag


def _locate(depth: int) -> tuple[FrameType, SiteState] | None:
    """The user's frame (first outside torch and losslint) and its call site's state.

    ``depth`` counts the frames from ``_locate``'s caller up to the one that called
    the loss wrapper.

    Cost matters here, so two shortcuts. Walking ``f_back`` creates a frame object
    per frame (``Module.__call__`` puts two torch frames between the user and a
    loss's ``forward``); ``sys._getframe(n)`` creates only the n-th. So how far the
    user is from a given torch caller is learnt on the first walk and then jumped
    to directly; a jump that lands on torch or losslint walks on from there. (A
    user frame sandwiched between torch frames at an unusual depth can be jumped
    over: the site is then placed at the next user frame out.)
    And the site key uses ``id(code)``: hashing a code object hashes its bytecode,
    microseconds for a training function. The site state and the hint both hold
    their code object, so the id cannot be reused while they exist.
    """
    try:
        frame: FrameType | None = sys._getframe(depth + 1)
    except ValueError:
        return None
    if _is_internal(frame):
        caller = frame.f_code
        hint = _depth_hints.get(id(caller))
        if hint is not None and hint[0] is caller:
            try:
                frame = sys._getframe(depth + 1 + hint[1])
            except ValueError:
                return None
        hops = 0
        while frame is not None and _is_internal(frame):
            frame = frame.f_back
            hops += 1
        if frame is None:
            return None
        if hint is None or hint[0] is not caller:
            _depth_hints[id(caller)] = (caller, hops)
    code = frame.f_code
    key = (id(code), frame.f_lasti)
    site = STATE.sites.get(key)
    if site is None:
        site = STATE.sites.setdefault(key, SiteState(code=code))
    return frame, site


def _check_call(
    frame: FrameType,
    site: SiteState,
    bind: Callable[[], calls.LossCall],
    call: Callable[[], Any],
) -> Any:
    """A checked call: checks before, the real call, then the report."""
    site.checked += 1
    strict = STATE.strict
    _local.depth += 1
    try:
        try:
            loss_call = bind()
            loss_call.result_negated = lambda: sites.result_negated(frame)
            findings = [f for f in checks.check(loss_call) if f.code not in site.reported]
        except Exception:
            if _DEBUG:
                raise
            findings = []
        if site.checked >= STATE.checks_per_site and site.watch is None:
            try:  # the budget is spent: from now on, only the target's range is watched
                if "LL014" not in site.reported and not any(f.code == "LL014" for f in findings):
                    site.watch = watch.for_call(loss_call, site.checked, report.later(frame, site))
            except Exception:
                if _DEBUG:
                    raise
        if not findings:
            return call()
        try:
            result = call()
        except Exception:
            report.emit(findings, frame, site, None, raised=True, strict=strict)
            raise
        report.emit(findings, frame, site, result, raised=False, strict=strict)
        return result
    finally:
        _local.depth -= 1


def _slow_site(probe: FrameType | None, depth: int) -> tuple[FrameType, SiteState] | None:
    """The true site of a call whose probe frame is unknown or whose site has budget left.

    Walks to the user's frame, and remembers the site under the probe's key so the
    next call from there is decided by the fast path. A probe in torch or losslint
    (an unusual call chain) is not remembered: such calls always take this path.
    Returns None when the call should just pass through.
    """
    located = _locate(depth + 1)
    if located is None:
        return None
    if probe is not None and not _is_internal(probe):
        code = probe.f_code
        STATE.fast[(id(code), probe.f_lasti)] = located[1]
        STATE.pinned[id(code)] = code  # keeps the id unique while the key exists
    if located[1].checked >= STATE.checks_per_site:
        return None
    return located


def _as_original(wrapper: Callable[..., Any], original: Callable[..., Any]) -> Callable[..., Any]:
    """``wrapper``, dressed as ``original``: its name, signature, docs and globals.

    The globals matter to TorchScript, which compiles a scripted call of a loss
    from the source of ``__wrapped__`` (the original's) resolved against the
    wrapper's globals and closure: with the original's globals it compiles the
    original, so ``torch.jit.script`` keeps working inside ``trace()``. The wrapper
    therefore reaches everything of its own through its closure, under ``_ll_``
    names that the original's source cannot mean.
    """
    dressed = types.FunctionType(
        wrapper.__code__,
        original.__globals__,  # type: ignore[attr-defined]
        wrapper.__name__,
        wrapper.__defaults__,
        wrapper.__closure__,
    )
    functools.update_wrapper(dressed, original)
    dressed.__losslint_original__ = original  # type: ignore[attr-defined]
    return dressed


def _function_wrapper(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    _ll_original, _ll_name, _ll_bind = original, name, calls.from_function
    _ll_is_compiling, _ll_local, _ll_state, _ll_getframe = _is_compiling, _local, STATE, _getframe
    _ll_slow_site, _ll_check_call = _slow_site, _check_call

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _ll_is_compiling() or _ll_local.depth or not _ll_state.active:
            return _ll_original(*args, **kwargs)
        # Fast path: the caller is the site (or stands for it), already budgeted.
        probe = _ll_getframe(1)
        site = _ll_state.fast.get((id(probe.f_code), probe.f_lasti))
        if site is not None and site.checked >= _ll_state.checks_per_site:
            if site.watch is None:
                return _ll_original(*args, **kwargs)
            return site.watch.call(_ll_name, _ll_original, args, kwargs)
        located = _ll_slow_site(probe, 1)
        if located is None:
            return _ll_original(*args, **kwargs)
        return _ll_check_call(
            located[0],
            located[1],
            lambda: _ll_bind(_ll_name, _ll_original, args, kwargs),
            lambda: _ll_original(*args, **kwargs),
        )

    return _as_original(wrapper, original)


def _forward_wrapper(class_name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    _ll_original, _ll_class_name, _ll_bind = original, class_name, calls.from_module
    _ll_is_compiling, _ll_local, _ll_state, _ll_getframe = _is_compiling, _local, STATE, _getframe
    _ll_slow_site, _ll_check_call, _ll_depth = _slow_site, _check_call, _MODULE_CALL_DEPTH

    def forward(self: nn.Module, *args: Any, **kwargs: Any) -> Any:
        if _ll_is_compiling() or _ll_local.depth or not _ll_state.active:
            return _ll_original(self, *args, **kwargs)
        # Fast path: jump over Module.__call__'s frames straight to the usual user
        # frame, which exists already (creating the fresh torch frames costs more).
        try:
            probe: FrameType | None = _ll_getframe(_ll_depth)
        except ValueError:
            probe = None
        site = None if probe is None else _ll_state.fast.get((id(probe.f_code), probe.f_lasti))
        located = None
        if site is None or site.checked < _ll_state.checks_per_site:
            located = _ll_slow_site(probe, 1)
        if located is None:
            _ll_local.depth += 1  # the functional this forward calls is this same user call
            try:
                if site is not None and site.watch is not None:
                    return site.watch.call(_ll_class_name, _ll_original, args, kwargs, self)
                return _ll_original(self, *args, **kwargs)
            finally:
                _ll_local.depth -= 1
        return _ll_check_call(
            located[0],
            located[1],
            lambda: _ll_bind(_ll_class_name, self, _ll_original, args, kwargs),
            lambda: _ll_original(self, *args, **kwargs),
        )

    return _as_original(forward, original)


def _loss_classes() -> list[type]:
    return [getattr(nn, name) for name in calls.MODULE_FUNCTIONS if hasattr(nn, name)]


def install() -> None:
    """Patch every loss entry point; a no-op for what is already patched."""
    for name in calls.FUNCTION_OPTIONS:
        current = F.__dict__.get(name)
        if current is None or name in _saved_functions:
            continue
        _saved_functions[name] = current
        setattr(F, name, _function_wrapper(name, current))
    for cls in _loss_classes():
        if cls in _saved_forwards:
            continue
        current = cls.__dict__["forward"]
        _saved_forwards[cls] = current
        cls.forward = _forward_wrapper(cls.__name__, current)


def uninstall() -> None:
    """Put back exactly what ``install`` replaced, where it is still our wrapper.

    Something patched over our wrapper meanwhile (another tool, a test's monkeypatch)
    is left in place; the wrapper it holds passes through once the tracer is inactive.
    """
    for name, original in list(_saved_functions.items()):
        current = F.__dict__.get(name)
        if getattr(current, "__losslint_original__", None) is original:
            setattr(F, name, original)
        del _saved_functions[name]
    for cls, original in list(_saved_forwards.items()):
        current = cls.__dict__.get("forward")
        if getattr(current, "__losslint_original__", None) is original:
            cls.forward = original
        del _saved_forwards[cls]


def is_installed() -> bool:
    return bool(_saved_functions or _saved_forwards)
