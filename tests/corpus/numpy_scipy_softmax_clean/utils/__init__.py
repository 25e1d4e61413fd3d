from .metrics import cross_entropy, softmax

__all__ = ["cross_entropy", "softmax"]
