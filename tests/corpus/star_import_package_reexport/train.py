"""AG_NEWS text classification, after the torchtext tutorial."""

import time

import torch

from nets import TextClassifier, count_parameters


def train_epoch(model, dataloader, optimizer, criterion, epoch):
    model.train()
    total_acc, total_count = 0, 0
    start = time.time()
    for label, text, offsets in dataloader:
        optimizer.zero_grad()
        predicted = model(text, offsets)
        loss = criterion(predicted, label)  # expect: LL001
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted.argmax(1) == label).sum().item()
        total_count += label.size(0)
    print(f"epoch {epoch} | accuracy {total_acc / total_count:.3f} | {time.time() - start:.1f}s")


def main(dataloader, vocab_size):
    model = TextClassifier(vocab_size, 64, 4)
    print(count_parameters(model))
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
    for epoch in range(1, 11):
        train_epoch(model, dataloader, optimizer, criterion, epoch)
