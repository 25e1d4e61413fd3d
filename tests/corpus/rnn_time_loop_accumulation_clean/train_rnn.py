"""Character-level RNN trained over time steps: the loss of a sequence is summed step
by step and backpropagated once per batch, and the hidden state is detached between
batches (truncated BPTT)."""

import torch
import torch.nn as nn


class CharRNN(nn.Module):
    def __init__(self, vocab=65, hidden=128):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.cell = nn.GRUCell(hidden, hidden)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, token, h):
        h = self.cell(self.embed(token), h)
        return self.out(h), h


def train(model, batches, seq_len=32, hidden=128, clip=5.0):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    h = torch.zeros(batches[0].size(0), hidden)
    log = []
    for batch in batches:
        h = h.detach()
        loss = 0.0
        for t in range(seq_len - 1):
            logits, h = model(batch[:, t], h)
            loss += criterion(logits, batch[:, t + 1])
        optimizer.zero_grad()
        (loss / (seq_len - 1)).backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        log.append(loss.item() / (seq_len - 1))
    return log


if __name__ == "__main__":
    data = [torch.randint(0, 65, (4, 32)) for _ in range(3)]
    print(train(CharRNN(), data))
