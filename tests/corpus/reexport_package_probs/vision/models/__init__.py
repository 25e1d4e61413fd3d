from .registry import build_model, list_models
