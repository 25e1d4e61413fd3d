"""Run as `python classifier/train.py`: its own nets.py, not the demo's, is imported."""

import torch
import torch.nn as nn
from nets import Net


def main(train_loader, epochs=3):
    model = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for data, target in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(data), target)
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main([])
