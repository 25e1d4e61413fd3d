"""A graph-building style model: the loss is attached by a method the script calls."""

import torch.nn as nn
import torch.nn.functional as F


class TaggerModel(nn.Module):
    def __init__(self, vocab_size, num_tags, hidden=128):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.lstm = nn.LSTM(hidden, hidden, batch_first=True)
        self.proj = nn.Linear(hidden, num_tags)

    def add_loss_op(self):
        self.loss_fn = nn.NLLLoss()

    def add_train_op(self, optimizer_cls, lr):
        self.optimizer = optimizer_cls(self.parameters(), lr=lr)

    def forward(self, tokens):
        out, _ = self.lstm(self.embedding(tokens))
        return F.softmax(self.proj(out), dim=-1)
