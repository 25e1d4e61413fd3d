import torch
import torch.nn as nn


def fit(model, loader, epochs=1, criterion=nn.CrossEntropyLoss(), optimizer_cls=torch.optim.Adam):
    optimizer = optimizer_cls(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for x, y in loader:
            loss = criterion(model(x), y)  # expect: LL001
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model
