"""Face attributes: identity (softmax CE), 40 binary attributes (BCE with logits),
and landmark regression (smooth L1) from one backbone returning a tuple."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiTaskNet(nn.Module):
    def __init__(self, ids=500, attrs=40, landmarks=5):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()
        )
        self.id_head = nn.Linear(32, ids)
        self.attr_head = nn.Linear(32, attrs)
        self.lmk_head = nn.Linear(32, landmarks * 2)

    def forward(self, x):
        h = self.backbone(x)
        return self.id_head(h), self.attr_head(h), self.lmk_head(h)


class MultiTaskLoss(nn.Module):
    def __init__(self, weights=(1.0, 0.5, 2.0)):
        super().__init__()
        self.weights = weights
        self.id_loss = nn.CrossEntropyLoss(label_smoothing=0.1)
        self.attr_loss = nn.BCEWithLogitsLoss()
        self.lmk_loss = nn.SmoothL1Loss()

    def forward(self, outputs, targets):
        id_logits, attr_logits, landmarks = outputs
        ids, attrs, lmk = targets
        w_id, w_attr, w_lmk = self.weights
        return (
            w_id * self.id_loss(id_logits, ids)
            + w_attr * self.attr_loss(attr_logits, attrs)
            + w_lmk * self.lmk_loss(landmarks, lmk)
        )


def train_step(model, criterion, optimizer, images, targets):
    outputs = model(images)
    loss = criterion(outputs, targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    attr_pred = torch.sigmoid(outputs[1]) > 0.5
    id_pred = F.softmax(outputs[0], dim=1).argmax(dim=1)
    return loss.item(), attr_pred, id_pred


if __name__ == "__main__":
    net, crit = MultiTaskNet(), MultiTaskLoss()
    opt = torch.optim.Adam(net.parameters())
    targets = (torch.randint(0, 500, (4,)), torch.randint(0, 2, (4, 40)).float(), torch.randn(4, 10))
    print(train_step(net, crit, opt, torch.randn(4, 3, 32, 32), targets)[0])
