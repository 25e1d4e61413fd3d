import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(b, n, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        weights = F.softmax(scores)  # expect: LL010
        out = (weights @ v).transpose(1, 2).reshape(b, n, d)
        return self.proj(out)


class Pooling(nn.Module):
    """Attention pooling over the sequence: softmax over time steps."""

    def __init__(self, dim):
        super().__init__()
        self.score = nn.Linear(dim, 1)
        self.norm = nn.Softmax()  # expect: LL010

    def forward(self, x):
        w = self.norm(self.score(x).squeeze(-1))
        return (w.unsqueeze(-1) * x).sum(1)


class Classifier(nn.Module):
    def __init__(self, dim=32, classes=3):
        super().__init__()
        self.attn = SelfAttention(dim)
        self.pool = Pooling(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        return F.log_softmax(self.head(self.pool(self.attn(x))), dim=-1)


def train_step(model, optimizer, x, y):
    loss = F.nll_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    m = Classifier()
    print(train_step(m, torch.optim.Adam(m.parameters()), torch.randn(2, 5, 32), torch.tensor([0, 2])))
