"""The entry point names no loss and no activation: it only wires the parts together."""

import torch

from engine import Trainer
from models import build_classifier


def main():
    model = build_classifier(in_features=20, classes=3)
    trainer = Trainer(model, epochs=2)
    loader = [(torch.randn(16, 20), torch.randint(0, 3, (16,))) for _ in range(4)]
    trainer.fit(loader)


if __name__ == "__main__":
    main()
