"""Pretrain with a probability head, then fine-tune the backbone's raw scores."""

import torch
import torch.nn as nn

backbone = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(16, 100),
)
model = nn.Sequential(backbone, nn.Softmax(dim=1))
criterion = nn.CrossEntropyLoss()


def fit(loader, epochs, lr=0.01):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for images, labels in loader:
            loss = criterion(model(images), labels)  # expect: LL001
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


pretrain_loader = torch.utils.data.DataLoader(torch.load("pretrain.pt"), batch_size=256)
fit(pretrain_loader, 10)

# Fine-tune on the raw scores.
model = backbone
finetune_loader = torch.utils.data.DataLoader(torch.load("finetune.pt"), batch_size=64)
fit(finetune_loader, 2, lr=0.001)
