import torch
import torch.nn as nn

from trainer import Trainer


class Net(nn.Module):
    def __init__(self, in_dim=32, classes=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, 64), nn.ReLU(), nn.Linear(64, classes))

    def forward(self, x):
        return self.net(x)


class ProbNet(Net):
    def forward(self, x):
        return torch.log_softmax(super().forward(x), dim=1)


Trainer(Net, nn.CrossEntropyLoss).train_epoch([(torch.randn(8, 32), torch.randint(0, 4, (8,)))])
Trainer(ProbNet, nn.NLLLoss, classes=3).train_epoch([(torch.randn(8, 32), torch.randint(0, 3, (8,)))])
