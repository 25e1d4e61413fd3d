"""Joining the environments of several paths: name by name, every path that binds it,
in path order (the join caps alternatives, so order can matter)."""

from __future__ import annotations

import random

from losslint.analysis.frames import join_envs
from losslint.analysis.values import MAX_ALTERNATIVES, Constant, Value, join_all


def _by_definition(*envs):
    reachable = [env for env in envs if env is not None]
    if not reachable:
        return None
    keys = set().union(*reachable)
    return {key: join_all(env[key] for env in reachable if key in env) for key in keys}


def test_unreachable_paths_do_not_count() -> None:
    one = {"x": Value.of(Constant(1))}
    assert join_envs(None, one, None) is one
    assert join_envs(None, None) is None


def test_a_name_bound_on_one_path_only_keeps_that_value() -> None:
    a, b = Value.of(Constant(1)), Value.of(Constant(2))
    assert join_envs({"x": a}, {"x": b, "y": b}) == {"x": a.join(b), "y": b}


def test_the_same_value_on_every_path_is_that_value() -> None:
    shared = Value.of(Constant(1))
    joined = join_envs({"x": shared}, {"x": shared}, {"x": shared})
    assert joined["x"] is shared


def test_random_paths_join_as_the_definition_says() -> None:
    chooser = random.Random(13)
    constants = [Value.of(Constant(n)) for n in range(MAX_ALTERNATIVES + 4)]
    wide = Value(frozenset(atom for value in constants for atom in value))  # over the cap
    pool = [*constants, wide, Value()]
    for _ in range(300):
        envs = []
        for _ in range(chooser.randint(2, 5)):
            names = chooser.sample("abcdef", chooser.randint(0, 6))
            envs.append({name: chooser.choice(pool) for name in names})
        assert join_envs(*envs) == _by_definition(*envs)
