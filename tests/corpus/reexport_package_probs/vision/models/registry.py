from .resnetish import TinyResNet

_REGISTRY = {"tiny_resnet": TinyResNet}


def build_model(name, **kwargs):
    return TinyResNet(**kwargs)


def list_models():
    return sorted(_REGISTRY)
