"""Train a digit classifier, then export a model that outputs probabilities for the web demo."""

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

EPOCHS = 5
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

train_set = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(784, 256),
    nn.ReLU(),
    nn.Linear(256, 10),
).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def train_epoch(loader):
    model.train()
    total = 0.0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)


for epoch in range(EPOCHS):
    print(f"epoch {epoch}: {train_epoch(train_loader):.4f}")

# The demo shows probabilities: wrap the trained network for export.
model = nn.Sequential(model, nn.Softmax(dim=1)).eval()
scripted = torch.jit.script(model.cpu())
scripted.save("digits.pt")
