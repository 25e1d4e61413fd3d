"""CIFAR-style classifier: softmax only for reporting, after the loss."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 8 * 8, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))


def train_one_epoch(model, loader, optimizer, device="cpu"):
    model.train()
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    stats = {"loss": 0.0, "correct": 0, "seen": 0}
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        logits = model(images)
        loss = criterion(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

        probs = F.softmax(logits, dim=1)
        confidence, predicted = probs.max(dim=1)
        stats["loss"] += loss.item() * labels.size(0)
        stats["correct"] += (predicted == labels).sum().item()
        stats["seen"] += labels.size(0)
    return {k: v / stats["seen"] for k, v in stats.items() if k != "seen"}


@torch.no_grad()
def predict(model, images):
    model.eval()
    probs = torch.softmax(model(images), dim=-1)
    top_p, top_class = probs.topk(3, dim=-1)
    return top_p, top_class


if __name__ == "__main__":
    model = SmallCNN()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    data = [(torch.randn(8, 3, 32, 32), torch.randint(0, 10, (8,))) for _ in range(4)]
    print(train_one_epoch(model, data, opt))
    print(predict(model, torch.randn(2, 3, 32, 32)))
