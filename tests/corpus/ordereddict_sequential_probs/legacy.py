"""Code from the PyTorch 0.4 era: named layers in an OrderedDict, a softmax layer
appended with add_module, and the model's forward called explicitly."""

from collections import OrderedDict

import torch
import torch.nn as nn


def make_mlp(sizes):
    layers = OrderedDict(
        [
            ("fc1", nn.Linear(sizes[0], sizes[1])),
            ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(sizes[1], sizes[2])),
        ]
    )
    mlp = nn.Sequential(layers)
    mlp.add_module("softmax", nn.Softmax(dim=1))
    return mlp


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = make_mlp([20, 50, 5])

    def forward(self, x):
        return self.mlp.forward(x)


net = Wrapper()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
for epoch in range(3):
    inputs = torch.randn(10, 20)
    labels = torch.randint(0, 5, (10,))
    optimizer.zero_grad()
    outputs = net.forward(inputs)
    loss = criterion(outputs, labels)  # expect: LL001
    loss.backward()
    optimizer.step()
    print("[%d] loss: %.3f" % (epoch + 1, loss.item()))
