"""CIFAR-10 training script."""

import torch
import torch.nn as nn

from nets import *  # noqa: F403
from export import *  # noqa: F403  (export_onnx, count_parameters: see export.__all__)

EPOCHS = 30


def main(loader, device="cuda"):
    model = Net().to(device)  # noqa: F405
    print(f"{count_parameters(model)} parameters")  # noqa: F405
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for epoch in range(EPOCHS):
        model.train()
        for images, targets in loader:
            images, targets = images.to(device), targets.to(device)
            loss = criterion(model(images), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    export_onnx(model, "cifar.onnx")  # noqa: F405
