import torch
from torch import nn

from textcls import build_model, classify

from ..inference import classify as classify_again


def main():
    model = build_model(vocab_size=20000, num_classes=4)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.1)
    for _ in range(3):
        text = torch.randint(0, 20000, (64,))
        offsets = torch.tensor([0, 16, 32, 48])
        label = torch.randint(0, 4, (4,))
        optimizer.zero_grad()
        loss = criterion(model(text, offsets), label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        scheduler.step()
    names = ["World", "Sports", "Business", "Sci/Tec"]
    print(classify(model, text, offsets, names) == classify_again(model, text, offsets, names))
