"""Full-batch training with L-BFGS: the closure sums the loss over every chunk of the
data and backpropagates once, so the graphs are meant to be kept until backward."""

import torch
import torch.nn as nn


def fit(model, chunks, steps=20):
    criterion = nn.CrossEntropyLoss(reduction="sum")
    optimizer = torch.optim.LBFGS(model.parameters(), lr=0.5, history_size=10)
    n = sum(len(y) for _, y in chunks)

    def closure():
        optimizer.zero_grad()
        total = 0.0
        for x, y in chunks:
            total = total + criterion(model(x), y)
        total = total / n
        total.backward()
        return total

    history = []
    for _ in range(steps):
        loss = optimizer.step(closure)
        history.append(float(loss))
    return history


def full_batch_sgd(model, chunks, epochs=5):
    criterion = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        epoch_loss = 0
        for x, y in chunks:
            epoch_loss += criterion(model(x), y)
        optimizer.zero_grad()
        epoch_loss.backward()
        optimizer.step()
        print(epoch_loss.item())


if __name__ == "__main__":
    data = [(torch.randn(16, 4), torch.randint(0, 3, (16,))) for _ in range(4)]
    print(fit(nn.Linear(4, 3), data))
    full_batch_sgd(nn.Linear(4, 1), [(torch.randn(16, 4), torch.randn(16, 1))])
