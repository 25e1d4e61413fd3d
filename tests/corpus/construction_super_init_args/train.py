import torch
import torch.nn as nn

from nets import DemoHead, TrainingHead


def fit(head, features, labels, steps=100):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(head.parameters(), lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = criterion(head(features), labels)  # expect: LL001
        loss.backward()
        optimizer.step()


def fit_training_head(features, labels):
    head = TrainingHead()
    criterion = nn.CrossEntropyLoss()
    loss = criterion(head(features), labels)
    loss.backward()


if __name__ == "__main__":
    feats, labels = torch.randn(64, 512), torch.randint(0, 10, (64,))
    fit(DemoHead(), feats, labels)
    fit_training_head(feats, labels)
