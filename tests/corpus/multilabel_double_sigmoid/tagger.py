"""Multi-label image tagging: each image may carry any subset of 20 tags."""

import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, num_tags=20):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.fc = nn.Linear(32, num_tags)

    def forward(self, images):
        return torch.sigmoid(self.fc(self.features(images)))


def fit(model, loader, epochs=5):
    criterion = nn.BCEWithLogitsLoss(pos_weight=torch.full((20,), 3.0))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for images, tags in loader:
            scores = model(images)
            loss = criterion(scores, tags.float())  # expect: LL002
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


@torch.no_grad()
def predict_tags(model, images, threshold=0.5):
    model.eval()
    return model(images) > threshold


if __name__ == "__main__":
    net = Tagger()
    batches = [(torch.randn(4, 3, 64, 64), torch.randint(0, 2, (4, 20))) for _ in range(3)]
    fit(net, batches)
