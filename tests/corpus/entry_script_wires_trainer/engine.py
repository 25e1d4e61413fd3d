import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model, epochs=10, lr=1e-3):
        self.model = model
        self.epochs = epochs
        self.loss_fn = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def fit(self, loader):
        for _ in range(self.epochs):
            for x, y in loader:
                self.optimizer.zero_grad()
                loss = self.loss_fn(self.model(x), y)  # expect: LL001
                loss.backward()
                self.optimizer.step()
