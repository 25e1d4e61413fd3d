"""A trainer whose criterion defaults to cross-entropy when none is given."""

import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model, criterion=None, lr=1e-3):
        self.model = model
        self.criterion = criterion or nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def fit(self, loader, epochs=1):
        for _ in range(epochs):
            for x, y in loader:
                loss = self.criterion(self.model(x), y)  # expect: LL001
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()


if __name__ == "__main__":
    net = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 3), nn.Softmax(dim=1))
    Trainer(net).fit([(torch.randn(4, 6), torch.randint(0, 3, (4,)))])
