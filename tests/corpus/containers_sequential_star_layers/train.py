import torch
import torch.nn as nn

from mlp import ConvHead, TabularNet, build_mlp


def train(loader, epochs=10):
    model = build_mlp(32, [128, 64], num_classes=5)
    tabular = TabularNet(32, 5)
    segmenter = ConvHead(16, 3)
    criterion = nn.CrossEntropyLoss()
    params = [*model.parameters(), *tabular.parameters(), *segmenter.parameters()]
    optimizer = torch.optim.Adam(params, lr=1e-3)
    for epoch in range(epochs):
        for features, image, target, mask in loader:
            optimizer.zero_grad()
            loss = criterion(model(features), target)  # expect: LL001
            loss = loss + criterion(tabular(features), target)  # expect: LL001
            loss = loss + criterion(segmenter(image), mask)  # expect: LL001
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")
