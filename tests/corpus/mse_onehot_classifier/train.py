"""A digits classifier trained as a regression onto one-hot vectors."""

import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 10


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, NUM_CLASSES)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def train(model, loader, epochs=20):
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(epochs):
        for x, y in loader:
            target = F.one_hot(y, num_classes=NUM_CLASSES).float()
            probs = F.softmax(model(x), dim=1)
            loss = criterion(probs, target)  # expect: LL003
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def train_l1(model, loader):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    for x, y in loader:
        loss = F.l1_loss(model(x), F.one_hot(y, NUM_CLASSES).float())  # expect: LL003
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    data = [(torch.randn(16, 64), torch.randint(0, NUM_CLASSES, (16,))) for _ in range(8)]
    net = Net()
    train(net, data)
    train_l1(net, data)
