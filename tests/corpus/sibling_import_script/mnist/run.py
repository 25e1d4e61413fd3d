"""Run as `python mnist/run.py`: Python puts mnist/ first on sys.path."""

import torch
import torch.nn.functional as F
from nets import Net


def main(train_loader, epochs=3):
    model = Net()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    for epoch in range(epochs):
        model.train()
        for data, target in train_loader:
            optimizer.zero_grad()
            output = model(data)
            loss = F.cross_entropy(output, target)  # expect: LL001
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main([])
