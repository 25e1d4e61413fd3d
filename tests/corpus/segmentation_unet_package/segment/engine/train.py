import torch
import torch.nn as nn

from ..models import UNet
from .losses import dice_loss


def train(loader, epochs=10, device="cpu"):
    model = UNet().to(device)
    bce = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for _ in range(epochs):
        for images, masks in loader:
            images, masks = images.to(device), masks.to(device)
            pred = model(images)
            loss = bce(pred, masks) + dice_loss(pred, masks)  # expect: LL002
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model
