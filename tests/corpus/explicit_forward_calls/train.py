"""Explicit `.forward()` calls, as in many tutorials that skip `__call__`."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, in_features=784, hidden=256, classes=10):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, classes)

    def forward(self, x):
        x = F.relu(self.fc1(x.flatten(1)))
        return F.softmax(self.fc2(x), dim=1)

    def predict(self, x):
        # `self.__call__` spelled out: the same as `self(x)`.
        return self.__call__(x).argmax(dim=1)


class Classifier:
    def __init__(self, net):
        self.net = net
        self.criterion = nn.CrossEntropyLoss()

    def loss(self, x, y):
        scores = self.net.forward(x)
        return self.criterion.forward(scores, y)  # expect: LL001


def train(loader, epochs=5):
    model = MLP()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for _ in range(epochs):
        for images, labels in loader:
            optimizer.zero_grad()
            output = model.forward(images)
            loss = criterion.forward(output, labels)  # expect: LL001
            loss.backward()
            optimizer.step()
    return Classifier(model)
