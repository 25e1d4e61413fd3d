"""A quick experiment script with the loss and activation classes called like functions."""

import torch
from torch import nn

model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(64, 4)
y = torch.randint(0, 3, (64,))
class_weights = torch.tensor([1.0, 2.0, 2.0])

for epoch in range(10):
    outputs = model(x)
    loss = nn.CrossEntropyLoss(outputs, y)  # expect: LL011
    weighted = nn.CrossEntropyLoss(class_weights)(outputs, y)
    print(epoch, weighted.item())

gate = nn.Sigmoid(model(x)[:, 0])  # expect: LL011
probs = nn.Softmax(model(x))  # expect: LL011
head = nn.Softmax(1)
mse = nn.MSELoss(model(x)[:, 0], y.float())  # expect: LL011
