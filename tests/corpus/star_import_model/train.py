"""Train LeNet on MNIST."""

import torch
import torch.nn as nn
from torchvision import datasets, transforms

from model import *  # noqa: F403


def train(epochs=5, lr=0.01, device="cpu"):
    data = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
    loader = torch.utils.data.DataLoader(data, batch_size=64, shuffle=True)
    model = LeNet().to(device)  # noqa: F405
    print(f"{count_parameters(model)} parameters")  # noqa: F405
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    for epoch in range(epochs):
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = criterion(model(images), labels)  # expect: LL001
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch} done, last loss {loss.item():.4f}")


if __name__ == "__main__":
    train()
