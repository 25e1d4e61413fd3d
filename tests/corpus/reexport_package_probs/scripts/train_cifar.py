import torch
import torch.nn.functional as F

from vision import build_model


def main(loader, epochs=30):
    model = build_model("tiny_resnet", num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
    for _ in range(epochs):
        for images, targets in loader:
            loss = F.cross_entropy(model(images), targets)  # expect: LL001
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()
