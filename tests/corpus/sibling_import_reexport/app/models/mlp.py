import torch
from torch import nn


class MLPClassifier(nn.Module):
    def __init__(self, in_features, num_classes, hidden=(256, 128)):
        super().__init__()
        layers = []
        for width in hidden:
            layers += [nn.Linear(in_features, width), nn.ReLU()]
            in_features = width
        self.backbone = nn.Sequential(*layers)
        self.head = nn.Linear(in_features, num_classes)

    def forward(self, x):
        return torch.log_softmax(self.head(self.backbone(x)), dim=-1)
