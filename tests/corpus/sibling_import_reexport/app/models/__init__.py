from .mlp import MLPClassifier

__all__ = ["MLPClassifier"]
