import torch.nn as nn
import torch.nn.functional as F


class ClassifierHead(nn.Module):
    """Returns both the logits (for the loss) and the probabilities (for metrics)."""

    def __init__(self, dim, classes):
        super().__init__()
        self.fc = nn.Linear(dim, classes)

    def forward(self, features):
        logits = self.fc(features)
        return {"logits": logits, "probs": F.softmax(logits, dim=-1)}
