import torch
import torch.nn as nn

from model import CheckpointedClassifier, Scorer


def train(loader, device_ids, epochs=5):
    model = CheckpointedClassifier(256, 10).cuda()
    scorer = Scorer(256).cuda()
    criterion = nn.CrossEntropyLoss()
    bce = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.AdamW([*model.parameters(), *scorer.parameters()], lr=3e-4)
    for epoch in range(epochs):
        for x, y, relevant in loader:
            x, y = x.cuda(non_blocking=True), y.cuda(non_blocking=True)
            out = nn.parallel.data_parallel(model, x, device_ids)
            loss = criterion(out, y)  # expect: LL001
            scores = nn.parallel.data_parallel(scorer, (x,), device_ids)
            scores = scores.to(x.device).float()
            loss = loss + bce(scores.resize(x.size(0)), relevant.float())  # expect: LL002
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
