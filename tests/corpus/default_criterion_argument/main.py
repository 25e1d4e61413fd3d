import torch
import torch.nn as nn

from training import fit


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(12, 24), nn.ReLU(), nn.Linear(24, 3))
        self.out = nn.Softmax(dim=1)

    def forward(self, x):
        return self.out(self.layers(x))


if __name__ == "__main__":
    data = [(torch.randn(8, 12), torch.randint(0, 3, (8,)))]
    fit(Classifier(), data, epochs=2)
    # A regression head trained with the loss passed in: no default involved.
    fit(nn.Linear(12, 1), [(torch.randn(8, 12), torch.randn(8, 1))], criterion=nn.MSELoss())
