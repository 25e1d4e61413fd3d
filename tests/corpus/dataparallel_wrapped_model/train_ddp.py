"""Multi-GPU training: the model is wrapped (DataParallel, or DDP plus torch.compile)
before the loop, and still returns probabilities."""

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 100))

    def forward(self, x):
        return self.body(x).softmax(dim=-1)


def train_dp(loader):
    model = nn.DataParallel(Net()).cuda()
    criterion = nn.CrossEntropyLoss().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        loss = criterion(model(x.cuda()), y.cuda())  # expect: LL001
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train_ddp(rank, loader):
    dist.init_process_group("nccl")
    model = torch.compile(DDP(Net().to(rank), device_ids=[rank]))
    optimizer = torch.optim.AdamW(model.parameters())
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x.to(rank)), y.to(rank))  # expect: LL001
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()
