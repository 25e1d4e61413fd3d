"""An MLP built the way many repositories build one: layers collected in a list, the
hidden blocks appended in a loop, the head added last, then `nn.Sequential(*layers)`."""

import torch.nn as nn


def build_mlp(in_dim, hidden_dims, num_classes, dropout=0.1):
    layers = []
    prev = in_dim
    for width in hidden_dims:
        layers.append(nn.Linear(prev, width))
        layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU(inplace=True))
        layers.append(nn.Dropout(dropout))
        prev = width
    layers += [nn.Linear(prev, num_classes), nn.Softmax(dim=1)]
    return nn.Sequential(*layers)


class TabularNet(nn.Module):
    """Residual blocks in a ModuleList, walked in order; a ModuleDict of heads."""

    def __init__(self, in_dim, num_classes, depth=3):
        super().__init__()
        self.stem = nn.Linear(in_dim, 64)
        self.blocks = nn.ModuleList([nn.Linear(64, 64) for _ in range(depth)])
        self.heads = nn.ModuleDict(
            {
                "label": nn.Sequential(nn.Linear(64, num_classes), nn.Softmax(dim=-1)),
                "aux": nn.Linear(64, 1),
            }
        )

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = x + block(x).relu()
        return self.heads["label"](x)


class ConvHead(nn.Module):
    def __init__(self, channels, num_classes):
        super().__init__()
        self.layers = nn.ModuleList()
        self.layers.append(nn.Conv2d(channels, channels, 3, padding=1))
        self.layers.append(nn.ReLU())
        self.layers.append(nn.Conv2d(channels, num_classes, 1))
        self.layers.append(nn.Softmax(dim=1))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
