import torch
import torch.nn as nn

from model import IntentClassifier


def train(model, batches, epochs=3):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    model.train()
    for _ in range(epochs):
        for tokens, offsets, intents in batches:
            optimizer.zero_grad()
            loss = criterion(model(tokens, offsets), intents)
            loss.backward()
            optimizer.step()


def evaluate(model, batches):
    model.eval()
    hits = seen = 0
    with torch.no_grad():
        for tokens, offsets, intents in batches:
            probs = model(tokens, offsets)
            hits += (probs.argmax(-1) == intents).sum().item()
            seen += intents.numel()
    return hits / max(seen, 1)


if __name__ == "__main__":
    net = IntentClassifier(vocab_size=5000, num_intents=12)
    data = [
        (torch.randint(0, 5000, (40,)), torch.arange(0, 40, 10), torch.randint(0, 12, (4,)))
        for _ in range(5)
    ]
    train(net, data)
    print(evaluate(net, data))
