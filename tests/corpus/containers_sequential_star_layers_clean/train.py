import torch
import torch.nn as nn

from mlp import ConvHead, TabularNet, build_mlp, build_probe


def train(loader, epochs=10):
    model = build_mlp(32, [128, 64], num_classes=5)
    probe = build_probe(32, 5)
    tabular = TabularNet(32, 5)
    segmenter = ConvHead(16, 3)
    criterion = nn.CrossEntropyLoss()
    params = [*model.parameters(), *tabular.parameters(), *segmenter.parameters()]
    optimizer = torch.optim.Adam(params, lr=1e-3)
    for epoch in range(epochs):
        for features, image, target, mask in loader:
            optimizer.zero_grad()
            loss = criterion(model(features), target)
            loss = loss + criterion(tabular(features), target)
            loss = loss + criterion(segmenter(image), mask)
            loss = loss + 0.1 * criterion(probe(features), target)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                confidence = tabular.predict_proba(features).max(dim=1).values
        print(f"epoch {epoch}: {loss.item():.4f} {confidence.mean():.3f}")
