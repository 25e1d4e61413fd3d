"""Every docstring example in losslint.losses runs and prints what it shows."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "losslint.losses",
    "losslint.losses.functional",
    "losslint.losses.modules",
    "losslint.losses.precision",
    "losslint.losses.reduction",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_every_public_function_has_a_worked_example():
    functional = importlib.import_module("losslint.losses.functional")
    finder = doctest.DocTestFinder(recurse=False)
    for name in functional.__all__:
        (test,) = finder.find(getattr(functional, name), name)
        assert test.examples, f"{name} has no example"
