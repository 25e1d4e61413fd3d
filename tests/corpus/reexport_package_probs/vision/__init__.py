"""Public API: models are built by name."""

from vision.models import build_model, list_models

__all__ = ["build_model", "list_models"]
