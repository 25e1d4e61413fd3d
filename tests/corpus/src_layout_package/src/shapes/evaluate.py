import torch

from .models.net import ShapeNet


@torch.no_grad()
def accuracy(model: ShapeNet, loader):
    hits = total = 0
    for images, labels in loader:
        hits += (model.predict(images) == labels).sum().item()
        total += labels.numel()
    return hits / total
