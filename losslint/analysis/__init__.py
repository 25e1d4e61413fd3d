"""The static analysis: what each expression of the linted code holds.

One module per question (see the README's "Development" section): the value lattice
(``values``), the program model (``program``, ``project``), torch's names
(``torchapi``), the interpreter (``interpreter`` and its parts) and what it tells the
rules (``events``). It never imports the front ends (click, pygls, flake8).
"""
