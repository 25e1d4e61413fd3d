"""A trainer that receives classes and instantiates them itself."""

import torch


class Trainer:
    def __init__(self, model_cls, criterion=None, optimizer_cls=torch.optim.Adam, **model_kwargs):
        self.model = model_cls(**model_kwargs)
        self.criterion = criterion()
        self.optimizer = optimizer_cls(self.model.parameters(), lr=1e-3)

    def train_epoch(self, loader):
        for inputs, targets in loader:
            outputs = self.model(inputs)
            loss = self.criterion(outputs, targets)  # expect: LL001
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
