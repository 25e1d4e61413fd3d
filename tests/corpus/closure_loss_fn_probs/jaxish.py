"""A functional-style training script: the loss function closes over the model and
the criterion and is handed to a generic step helper."""

import torch
import torch.nn as nn


def make_step(loss_fn, params, lr=0.1):
    optimizer = torch.optim.SGD(params, lr=lr)

    def step(batch):
        optimizer.zero_grad()
        loss = loss_fn(batch)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def main(loader):
    model = nn.Sequential(nn.Linear(32, 64), nn.GELU(), nn.Linear(64, 8), nn.Softmax(dim=-1))
    criterion = nn.CrossEntropyLoss()

    def loss_fn(batch):
        x, y = batch
        return criterion(model(x), y)  # expect: LL001

    step = make_step(loss_fn, model.parameters())
    for batch in loader:
        print(step(batch))
