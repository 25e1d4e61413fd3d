import torch.nn as nn


class MLP(nn.Module):
    """A small classifier for flattened 28x28 images."""

    def __init__(self, hidden=256, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, hidden),
            nn.ReLU(),
            nn.Dropout(0.2),
        )
        self.classifier = nn.Linear(hidden, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x))
