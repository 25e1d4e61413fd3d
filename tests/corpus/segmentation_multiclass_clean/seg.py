"""Multi-class semantic segmentation: CrossEntropyLoss on (N, C, H, W) logits plus a
soft Dice term computed from the softmax; the softmax never reaches the CE."""

import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 6


class SegHead(nn.Module):
    def __init__(self, channels=32):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, channels, 3, padding=1), nn.ReLU())
        self.cls = nn.Conv2d(channels, NUM_CLASSES, 1)

    def forward(self, x):
        return self.cls(self.body(x))


def dice_term(logits, labels, eps=1.0):
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(labels, NUM_CLASSES).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


def step(model, optimizer, images, labels, class_weights):
    ce = nn.CrossEntropyLoss(weight=class_weights, ignore_index=255)
    logits = model(images)
    loss = ce(logits, labels) + dice_term(logits, labels.clamp(max=NUM_CLASSES - 1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        miou_pred = logits.argmax(dim=1)
    return loss.item(), miou_pred


if __name__ == "__main__":
    m = SegHead()
    o = torch.optim.SGD(m.parameters(), lr=0.01)
    x = torch.randn(2, 3, 16, 16)
    y = torch.randint(0, NUM_CLASSES, (2, 16, 16))
    print(step(m, o, x, y, torch.ones(NUM_CLASSES))[0])
