import torch
import torch.nn as nn

from losses import FocalLoss, poly1_cross_entropy, sigmoid_focal_loss

backbone = nn.Sequential(nn.Linear(32, 64), nn.ReLU())
cls_head = nn.Linear(64, 5)
obj_head = nn.Linear(64, 1)
focal = FocalLoss(gamma=1.5)
params = list(backbone.parameters()) + list(cls_head.parameters()) + list(obj_head.parameters())
optimizer = torch.optim.SGD(params, lr=0.01)

for step in range(20):
    x = torch.randn(16, 32)
    labels = torch.randint(0, 5, (16,))
    objectness = torch.randint(0, 2, (16, 1)).float()
    h = backbone(x)
    loss = focal(cls_head(h), labels) + poly1_cross_entropy(cls_head(h), labels)
    loss = loss + sigmoid_focal_loss(obj_head(h), objectness)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
