"""The loss class is looked up by name on torch.nn, from a config dataclass."""

from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class TrainConfig:
    loss: str = "CrossEntropyLoss"
    lr: float = 1e-3
    epochs: int = 3


class SentimentNet(nn.Module):
    def __init__(self, vocab=10000, dim=64, classes=3, log_probs=False):
        super().__init__()
        self.embed = nn.EmbeddingBag(vocab, dim)
        self.fc = nn.Linear(dim, classes)
        self.out = nn.LogSoftmax(dim=1) if log_probs else nn.Softmax(dim=1)

    def forward(self, tokens, offsets):
        return self.out(self.fc(self.embed(tokens, offsets)))


def main(loader):
    model = SentimentNet()
    criterion = getattr(nn, "CrossEntropyLoss")()
    optimizer = torch.optim.Adam(model.parameters())
    for tokens, offsets, labels in loader:
        loss = criterion(model(tokens, offsets), labels)  # expect: LL001
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main_nll(loader):
    # Log-probabilities and the loss that expects them, looked up the same way.
    model = SentimentNet(log_probs=True)
    criterion = getattr(nn, "NLLLoss")()
    for tokens, offsets, labels in loader:
        loss = criterion(model(tokens, offsets), labels)
        loss.backward()
