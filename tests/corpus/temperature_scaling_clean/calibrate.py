"""Post-hoc temperature scaling (Guo et al. 2017): one scalar fitted with NLL on
held-out logits; probabilities are produced afterwards for the reliability plot."""

import torch
import torch.nn as nn


class ModelWithTemperature(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self.temperature = nn.Parameter(torch.ones(1) * 1.5)

    def forward(self, x):
        return self.model(x) / self.temperature

    def set_temperature(self, valid_loader):
        nll = nn.CrossEntropyLoss()
        logits_list, labels_list = [], []
        with torch.no_grad():
            for x, y in valid_loader:
                logits_list.append(self.model(x))
                labels_list.append(y)
        logits = torch.cat(logits_list)
        labels = torch.cat(labels_list)
        before = nn.functional.cross_entropy(logits, labels).item()

        optimizer = torch.optim.LBFGS([self.temperature], lr=0.01, max_iter=50)

        def closure():
            optimizer.zero_grad()
            loss = nll(logits / self.temperature, labels)
            loss.backward()
            return loss

        optimizer.step(closure)
        after = nll(logits / self.temperature, labels).item()
        print(f"NLL before {before:.3f}, after {after:.3f}, T={self.temperature.item():.2f}")
        return self

    @torch.no_grad()
    def reliability(self, x, y, bins=10):
        probs = torch.softmax(self(x), dim=1)
        conf, pred = probs.max(1)
        edges = torch.linspace(0, 1, bins + 1)
        return [
            ((pred == y)[(conf > lo) & (conf <= hi)].float().mean().item())
            for lo, hi in zip(edges[:-1], edges[1:])
        ]


if __name__ == "__main__":
    base = nn.Linear(12, 3)
    scaled = ModelWithTemperature(base)
    data = [(torch.randn(32, 12), torch.randint(0, 3, (32,))) for _ in range(3)]
    scaled.set_temperature(data)
    print(scaled.reliability(*data[0]))
