"""A segmentation wrapper whose loss defaults to a class attribute."""

import torch
import torch.nn as nn


class BinarySegmenter(nn.Module):
    DEFAULT_LOSS = nn.BCEWithLogitsLoss

    def __init__(self, backbone, loss=None):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Conv2d(64, 1, kernel_size=1)
        self.loss_fn = loss or self.DEFAULT_LOSS()

    def forward(self, images):
        return torch.sigmoid(self.head(self.backbone(images)))

    def training_step(self, images, masks):
        probs = self(images)
        return self.loss_fn(probs, masks)  # expect: LL002


class Trainer:
    def __init__(self, model, lr=1e-3):
        self.model = model
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def step(self, images, masks):
        loss = self.model.training_step(images, masks)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()
