"""A configurable head and the presets that fix its options through super().__init__."""

import torch.nn as nn


class ClassifierHead(nn.Module):
    def __init__(self, in_features, num_classes, dropout=0.0, output_probs=False):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(in_features, num_classes)
        self.output_probs = output_probs
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = self.fc(self.dropout(x))
        if self.output_probs:
            x = self.softmax(x)
        return x


class DemoHead(ClassifierHead):
    """The head used by the web demo: it shows confidences."""

    def __init__(self, in_features=512, num_classes=10):
        super().__init__(in_features, num_classes, dropout=0.2, output_probs=True)


class TrainingHead(ClassifierHead):
    def __init__(self, in_features=512, num_classes=10):
        super().__init__(in_features, num_classes, dropout=0.5)
