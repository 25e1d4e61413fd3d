"""`python app/train.py`: models/ is app's sibling package, re-exporting the network."""

import torch
from models import MLPClassifier


def train(loader, epochs=10):
    model = MLPClassifier(64, 5)
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(epochs):
        for features, labels in loader:
            log_probs = model(features)
            loss = torch.nn.functional.nll_loss(log_probs.exp(), labels)  # expect: LL004
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
