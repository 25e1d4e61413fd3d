"""A base network and a subclass that post-processes `super().forward(x)`."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBackbone(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.classifier = nn.Linear(32, classes)

    def forward(self, x):
        return self.classifier(self.features(x))


class ProbabilityNet(ConvBackbone):
    """Returns class probabilities, for a demo that shows confidences."""

    def forward(self, x):
        logits = super().forward(x)
        return F.softmax(logits, dim=-1)


class AugmentedNet(ProbabilityNet):
    """Adds input noise, then defers to the parent network."""

    def __init__(self, classes=10, noise=0.1):
        super().__init__(classes)
        self.noise = noise

    def forward(self, x):
        if self.training:
            x = x + self.noise * torch.randn_like(x)
        return super().forward(x)


class TemperatureNet(ConvBackbone):
    def __init__(self, classes=10, temperature=2.0):
        super(TemperatureNet, self).__init__(classes)
        self.temperature = temperature

    def forward(self, x):
        return super(TemperatureNet, self).forward(x) / self.temperature
