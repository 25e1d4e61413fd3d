"""Binary defect detection trained through Poutyne's Model, which calls the loss:
the network returns sigmoid probabilities, the loss expects logits."""

import torch
import torch.nn as nn
from poutyne import Model


class DefectNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten()
        )
        self.fc = nn.Linear(8 * 4 * 4, 1)

    def forward(self, x):
        return torch.sigmoid(self.fc(self.conv(x)))


def main(train_loader, valid_loader):
    network = DefectNet()
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-3)
    loss_function = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([4.0]))  # expect: LL012
    model = Model(network, optimizer, loss_function, batch_metrics=["bin_acc"])
    model.fit_generator(train_loader, valid_loader, epochs=10)
