"""Multi-label classification done right: logits into BCEWithLogitsLoss,
sigmoid only to threshold predictions and compute F1."""

import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, dim, labels):
        super().__init__()
        self.drop = nn.Dropout(0.1)
        self.proj = nn.Linear(dim, labels)

    def forward(self, features):
        return self.proj(self.drop(features))


def f1_score(pred, target, eps=1e-8):
    tp = (pred & target).sum().float()
    precision = tp / (pred.sum() + eps)
    recall = tp / (target.sum() + eps)
    return 2 * precision * recall / (precision + recall + eps)


def run(features, targets, epochs=10):
    head = Head(features.shape[1], targets.shape[1])
    loss_fn = nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(head.parameters(), lr=0.5)
    for epoch in range(epochs):
        logits = head(features)
        loss = loss_fn(logits, targets.float())
        opt.zero_grad()
        loss.backward()
        opt.step()

        probs = torch.sigmoid(logits.detach())
        pred = probs > 0.5
        print(epoch, loss.item(), f1_score(pred, targets.bool()).item())
    return head


if __name__ == "__main__":
    run(torch.randn(100, 16), torch.randint(0, 2, (100, 6)))
