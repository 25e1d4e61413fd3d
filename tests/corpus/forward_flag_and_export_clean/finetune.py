"""Fine-tune a torchvision backbone; probabilities only on request at inference, and
a softmax-terminated copy of the model built for ONNX export."""

import torch
import torch.nn as nn
import torchvision


class Classifier(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.backbone = torchvision.models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.head = nn.Linear(512, num_classes)

    def forward(self, images, return_probs=False):
        logits = self.head(self.backbone(images))
        if return_probs:
            return logits.softmax(dim=-1)
        return logits


def train(model, loader, criterion, epochs=1):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for _ in range(epochs):
        for images, labels in loader:
            loss = criterion(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def main():
    loader = [(torch.randn(4, 3, 64, 64), torch.randint(0, 10, (4,)))]
    model = Classifier()
    criterion = nn.CrossEntropyLoss(label_smoothing=0.05)
    train(model, loader, criterion)
    with torch.no_grad():
        print(model(loader[0][0], return_probs=True).max(dim=-1))
    export_model = nn.Sequential(model, nn.Softmax(dim=1)).eval()
    torch.onnx.export(export_model, torch.randn(1, 3, 64, 64), "classifier.onnx")


if __name__ == "__main__":
    main()
