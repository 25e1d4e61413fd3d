from .models import FastText, build_model
from .inference import classify

__all__ = ["FastText", "build_model", "classify"]
