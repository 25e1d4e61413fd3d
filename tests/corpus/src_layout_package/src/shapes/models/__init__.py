from .net import ShapeNet
