from .models import UNet

__all__ = ["UNet"]
