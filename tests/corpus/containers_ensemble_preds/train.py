import torch
import torch.nn as nn
import torch.nn.functional as F

from ensemble import DeepEnsemble, averaged_prediction, snapshot_average


def fit(loader, members, snapshots, epochs=3):
    ensemble = DeepEnsemble(20, 4)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(ensemble.parameters(), lr=0.05, momentum=0.9)
    for epoch in range(epochs):
        for x, y, multi_hot in loader:
            optimizer.zero_grad()
            loss = criterion(ensemble(x), y)  # expect: LL001
            loss = loss + F.cross_entropy(averaged_prediction(members, x), y)  # expect: LL001
            avg = snapshot_average(snapshots, x)
            loss = loss + F.binary_cross_entropy_with_logits(avg, multi_hot)  # expect: LL002
            loss.backward()
            optimizer.step()
