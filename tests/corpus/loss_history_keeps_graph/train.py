"""A training loop that logs its losses as tensors: every step's graph stays alive
until the epoch (or the whole run) ends."""

import torch
import torch.nn as nn


def train(model, loader, epochs=10):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for epoch in range(epochs):
        running_loss = 0.0
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            running_loss += loss  # expect: LL013
            history.append(loss)  # expect: LL013
        print(f"epoch {epoch}: {running_loss / len(loader):.4f}")
    return history


class Trainer:
    def __init__(self, model):
        self.model = model
        self.criterion = nn.MSELoss()
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        self.total = 0

    def fit(self, loader):
        for x, y in loader:
            loss = self.criterion(self.model(x), y)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            self.total = self.total + loss  # expect: LL013
        return self.total
