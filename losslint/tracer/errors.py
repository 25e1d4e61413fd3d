"""What a runtime finding looks like to the user: a warning, or in strict mode an error.

Both carry the rule code and the user's source position as attributes, so that a
test can assert on ``w.code`` and a filter can be written per code. This module
does not import torch: the pytest plugin imports the tracer package at startup.
"""

from __future__ import annotations


class LossMisuseWarning(UserWarning):
    """A loss misuse seen on real tensors, reported at the user's call site.

    ``code`` is the catalog code (``"LL001"``), ``path``/``line``/``column`` the
    user's loss call (1-based), ``message`` the text without the code prefix.
    """

    def __init__(self, message: str, code: str, path: str, line: int, column: int = 1) -> None:
        super().__init__(f"{code} {message}")
        self.message = message
        self.code = code
        self.path = path
        self.line = line
        self.column = column

    def __reduce__(self):  # keep warnings picklable (pytest-xdist, multiprocessing)
        return (type(self), (self.message, self.code, self.path, self.line, self.column))


class LossMisuseError(Exception):
    """Raised instead of a warning under ``trace(strict=True)``; same attributes."""

    def __init__(self, message: str, code: str, path: str, line: int, column: int = 1) -> None:
        super().__init__(f"{path}:{line}:{column}: {code} {message}")
        self.message = message
        self.code = code
        self.path = path
        self.line = line
        self.column = column

    def __reduce__(self):
        return (type(self), (self.message, self.code, self.path, self.line, self.column))
