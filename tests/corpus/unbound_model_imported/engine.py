"""Training and evaluation loops; the entry point lives in the team's launcher."""

import torch
import torch.nn.functional as F

from model import DigitNet


def load(path, device="cpu"):
    net = DigitNet()
    net.load_state_dict(torch.load(path, map_location=device))
    return net


def train(model, device, train_loader, optimizer, epoch, log_interval=10):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.cross_entropy(output, target)  # expect: LL001
        loss.backward()
        optimizer.step()
        if batch_idx % log_interval == 0:
            print(f"epoch {epoch} [{batch_idx * len(data)}/{len(train_loader.dataset)}]")


def test(model, device, test_loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data.to(device))
            correct += output.argmax(dim=1).eq(target.to(device)).sum().item()
    return correct / len(test_loader.dataset)
