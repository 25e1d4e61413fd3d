"""`None` defaults resolved at construction, with a model that returns logits."""

import torch
import torch.nn as nn


class MultiLabelTrainer:
    def __init__(self, model, criterion=None, optimizer=None, scheduler=None):
        self.model = model
        self.criterion = criterion if criterion is not None else nn.BCEWithLogitsLoss()
        self.optimizer = optimizer or torch.optim.AdamW(model.parameters(), lr=3e-4)
        self.scheduler = scheduler
        self.best_loss = None

    def train_epoch(self, loader):
        self.model.train()
        total = 0.0
        for inputs, targets in loader:
            logits = self.model(inputs)
            loss = self.criterion(logits, targets.float())
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            total += loss.item()
        if self.scheduler is not None:
            self.scheduler.step()
        if self.best_loss is None or total < self.best_loss:
            self.best_loss = total
        return total

    @torch.no_grad()
    def predict(self, inputs, threshold=0.5):
        return torch.sigmoid(self.model(inputs)) > threshold


if __name__ == "__main__":
    net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 6))
    trainer = MultiLabelTrainer(net)
    trainer.train_epoch([(torch.randn(4, 32), torch.randint(0, 2, (4, 6)))])
    # A caller's own criterion: whatever it is, not the default.
    custom = MultiLabelTrainer(net, criterion=nn.MultiLabelSoftMarginLoss())
    print(custom.predict(torch.randn(2, 32)))
