import torch.nn as nn
import torch.nn.functional as F


class SceneClassifier(nn.Module):
    """Returns (logits, probabilities)."""

    def __init__(self, features=512, scenes=365):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(features, scenes)

    def forward(self, fmap):
        logits = self.fc(self.pool(fmap).flatten(1))
        return logits, F.softmax(logits, dim=1)
