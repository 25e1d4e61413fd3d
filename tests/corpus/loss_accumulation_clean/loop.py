"""Loss bookkeeping that does not keep graphs alive: numbers via .item(), detached
tensors, losses summed within one step before backward, gradient accumulation, and
validation losses computed under no_grad."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class DeepSupervisionNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([nn.Linear(16, 16) for _ in range(3)])
        self.heads = nn.ModuleList([nn.Linear(16, 5) for _ in range(3)])

    def forward(self, x):
        outputs = []
        for stage, head in zip(self.stages, self.heads):
            x = torch.relu(stage(x))
            outputs.append(head(x))
        return outputs


def train_epoch(model, loader, optimizer, accumulation_steps=4):
    criterion = nn.CrossEntropyLoss()
    running, detached_losses = 0.0, []
    optimizer.zero_grad()
    for step, (x, y) in enumerate(loader):
        loss = 0
        for out in model(x):
            loss += criterion(out, y)
        loss = loss / accumulation_steps
        loss.backward()
        if (step + 1) % accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
        running += loss.item()
        detached_losses.append(loss.detach())
    return running / max(len(loader), 1), torch.stack(detached_losses).mean()


@torch.no_grad()
def validate(model, loader):
    total = 0.0
    for x, y in loader:
        total += F.cross_entropy(model(x)[-1], y)
    return total / max(len(loader), 1)


if __name__ == "__main__":
    net = DeepSupervisionNet()
    data = [(torch.randn(8, 16), torch.randint(0, 5, (8,))) for _ in range(8)]
    print(train_epoch(net, data, torch.optim.SGD(net.parameters(), lr=0.1)), validate(net, data))
