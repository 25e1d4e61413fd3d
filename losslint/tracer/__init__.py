"""The runtime tracer: the catalog's rules checked on real tensors while code runs.

``trace()`` (a context manager and a decorator), ``losslint trace script.py`` (see
``script.py``) and ``pytest --losslint-trace`` (see ``pytest_plugin.py``) all patch
the loss entry points only, read what made each loss input from its autograd graph,
fall back to its values when there is no graph, and report at the user's line.

Importing this package does not import torch (the pytest plugin is loaded by every
pytest run of a project that installs losslint); ``trace`` imports it when entered.
"""

from __future__ import annotations

from losslint.tracer.errors import LossMisuseError, LossMisuseWarning
from losslint.tracer.session import trace

__all__ = ["trace", "LossMisuseWarning", "LossMisuseError"]
