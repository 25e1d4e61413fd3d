import torch
import torch.nn as nn

from models import AugmentedNet, TemperatureNet


def run_epoch(model, loader, optimizer):
    criterion = nn.CrossEntropyLoss()
    for images, targets in loader:
        loss = criterion(model(images), targets)  # expect: LL001
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    loader = [(torch.randn(4, 3, 32, 32), torch.randint(0, 10, (4,)))]
    net = AugmentedNet()
    run_epoch(net, loader, torch.optim.Adam(net.parameters()))


def main_temperature():
    # Scaled logits are still logits: no finding on this path.
    net = TemperatureNet()
    criterion = nn.CrossEntropyLoss()
    for images, targets in [(torch.randn(4, 3, 32, 32), torch.randint(0, 10, (4,)))]:
        loss = criterion(net(images), targets)
        loss.backward()
