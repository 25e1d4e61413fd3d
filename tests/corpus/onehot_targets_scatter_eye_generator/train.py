import torch
import torch.nn as nn

from data import OneHotStream, batches, to_one_hot

NUM_CLASSES = 10


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, NUM_CLASSES))
        self.register_buffer("eye", torch.eye(NUM_CLASSES))

    def forward(self, x):
        return self.fc(x)


def train(features, labels, epochs=5):
    model = Classifier()
    mse = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    identity = torch.eye(NUM_CLASSES)
    for epoch in range(epochs):
        for x, target in batches(features, labels, NUM_CLASSES):
            out = model(x)
            loss = mse(out, target)  # expect: LL003
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        y = labels[:64]
        out = model(features[:64])
        loss = mse(out, to_one_hot(y, NUM_CLASSES))  # expect: LL003
        loss = loss + nn.functional.l1_loss(out, identity[y])  # expect: LL003
        inline = torch.zeros(64, NUM_CLASSES).scatter_(1, y.unsqueeze(1), 1.0)
        loss = loss + nn.functional.smooth_l1_loss(out, inline)  # expect: LL003
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    for x, target in OneHotStream(features, labels, NUM_CLASSES):
        loss = mse(model(x.unsqueeze(0)), target.unsqueeze(0))  # expect: LL003
        loss.backward()
