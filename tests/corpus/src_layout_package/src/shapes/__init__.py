from .models import ShapeNet

__all__ = ["ShapeNet"]
