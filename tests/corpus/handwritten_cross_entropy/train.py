import torch
import torch.nn as nn

from losses import binary_focal, cross_entropy_from_scratch, soft_cross_entropy

model = nn.Linear(20, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(100):
    x = torch.randn(32, 20)
    y = torch.randint(0, 4, (32,))
    logits = model(x)
    loss = cross_entropy_from_scratch(logits, y)
    loss = loss + soft_cross_entropy(logits, torch.full((32, 4), 0.25))
    loss = loss + binary_focal(logits[:, 0], (y == 0).float())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
