"""A classifier whose layers and loss are built by helpers that `__init__` calls."""

import torch
import torch.nn as nn


class ImageClassifier(nn.Module):
    def __init__(self, num_classes=10, lr=1e-3):
        super().__init__()
        self.num_classes = num_classes
        self._build_network()
        self._build_loss()
        self.optimizer = torch.optim.Adam(self.parameters(), lr=lr)

    def _build_network(self):
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 13 * 13, 128),
            nn.ReLU(),
            nn.Linear(128, self.num_classes),
            nn.Softmax(dim=1),
        )

    def _build_loss(self):
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.classifier(self.features(x))

    def train_step(self, images, labels):
        self.optimizer.zero_grad()
        loss = self.criterion(self(images), labels)  # expect: LL001
        loss.backward()
        self.optimizer.step()
        return loss.item()


if __name__ == "__main__":
    model = ImageClassifier()
    for _ in range(5):
        model.train_step(torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,)))
