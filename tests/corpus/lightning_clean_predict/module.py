"""A LightningModule written against a local stub so the repo has no hard dependency."""

import torch
from torch import nn
from torch.nn import functional as F


class LightningModule(nn.Module):
    def log(self, name, value, **kwargs):
        pass


class TextClassifier(LightningModule):
    def __init__(self, vocab=10000, classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 128)
        self.encoder = nn.GRU(128, 128, batch_first=True)
        self.head = nn.Linear(128, classes)
        self.criterion = nn.CrossEntropyLoss()
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, tokens):
        _, hidden = self.encoder(self.embedding(tokens))
        return self.head(hidden[-1])

    def training_step(self, batch, batch_idx):
        tokens, labels = batch
        logits = self(tokens)
        loss = self.criterion(logits, labels)
        self.log("train/loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        tokens, labels = batch
        logits = self(tokens)
        self.log("val/loss", F.cross_entropy(logits, labels))
        probs = self.softmax(logits)
        self.log("val/confidence", probs.max(dim=-1).values.mean())

    def predict_step(self, batch, batch_idx):
        tokens, _ = batch
        return self.softmax(self(tokens))

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=2e-4)
