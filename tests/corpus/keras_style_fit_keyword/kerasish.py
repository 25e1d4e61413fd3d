"""A Keras-like fit() helper; the loss is passed by keyword."""

import torch
import torch.nn as nn


def fit(model, loader, *, loss_fn, optimizer=None, epochs=1, metrics=()):
    optimizer = optimizer or torch.optim.Adam(model.parameters())
    for epoch in range(epochs):
        for x, y in loader:
            y_pred = model(x)
            loss = loss_fn(y_pred, y)  # expect: LL001
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        logs = {m.__name__: m(y_pred, y) for m in metrics}
        print(f"epoch {epoch + 1}/{epochs} - loss: {loss.item():.4f}", logs)


def accuracy(y_pred, y):
    return (y_pred.argmax(-1) == y).float().mean().item()


model = nn.Sequential(
    nn.Linear(784, 512),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(512, 10),
    nn.Softmax(dim=-1),
)
data = [(torch.randn(32, 784), torch.randint(0, 10, (32,)))]
fit(model, data, loss_fn=nn.CrossEntropyLoss(), epochs=5, metrics=(accuracy,))
