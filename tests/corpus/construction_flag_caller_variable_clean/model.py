"""A flag with a default, changed by the callers: no branch is certain."""

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F


class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=128, num_classes=5, return_probs=True):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.conv = nn.Conv1d(embed_dim, 100, kernel_size=3)
        self.fc = nn.Linear(100, num_classes)
        self.return_probs = return_probs

    def forward(self, tokens):
        x = self.embedding(tokens).transpose(1, 2)
        x = F.relu(self.conv(x)).max(dim=2).values
        x = self.fc(x)
        if self.return_probs:
            return F.softmax(x, dim=1)
        return x


class Scorer(nn.Module):
    """The same pattern with the flag switched off by a literal at construction."""

    def __init__(self, dim=64, classes=3, normalize=True):
        super().__init__()
        self.fc = nn.Linear(dim, classes)
        self.normalize = normalize

    def forward(self, x):
        out = self.fc(x)
        return F.softmax(out, dim=-1) if self.normalize else out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--probs", action="store_true")
    args = parser.parse_args()
    model = TextCNN(20000, return_probs=args.probs)
    criterion = nn.CrossEntropyLoss()
    tokens, labels = torch.randint(0, 20000, (8, 50)), torch.randint(0, 5, (8,))
    loss = criterion(model(tokens), labels)
    loss.backward()

    scorer = Scorer(normalize=False)
    loss = F.cross_entropy(scorer(torch.randn(8, 64)), torch.randint(0, 3, (8,)))
    loss.backward()
