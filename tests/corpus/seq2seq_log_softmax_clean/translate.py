"""A GRU decoder step as in the seq2seq tutorial: LogSoftmax + NLLLoss is correct."""

import random

import torch
import torch.nn as nn
import torch.nn.functional as F

SOS, EOS = 0, 1


class Encoder(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)

    def forward(self, src):
        return self.gru(self.embedding(src))


class Decoder(nn.Module):
    def __init__(self, hidden, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, token, hidden):
        output, hidden = self.gru(F.relu(self.embedding(token)), hidden)
        return F.log_softmax(self.out(output[:, 0]), dim=1), hidden


def train_pair(encoder, decoder, src, tgt, enc_opt, dec_opt, teacher_forcing=0.5):
    criterion = nn.NLLLoss()
    enc_opt.zero_grad()
    dec_opt.zero_grad()
    _, hidden = encoder(src)
    token = torch.tensor([[SOS]])
    loss = 0
    for t in range(tgt.size(1)):
        log_probs, hidden = decoder(token, hidden)
        loss += criterion(log_probs, tgt[:, t])
        if random.random() < teacher_forcing:
            token = tgt[:, t].unsqueeze(1)
        else:
            token = log_probs.argmax(dim=1, keepdim=True).detach()
    loss.backward()
    enc_opt.step()
    dec_opt.step()
    return loss.item() / tgt.size(1)


@torch.no_grad()
def greedy_decode(encoder, decoder, src, max_len=20):
    _, hidden = encoder(src)
    token, words = torch.tensor([[SOS]]), []
    for _ in range(max_len):
        log_probs, hidden = decoder(token, hidden)
        probs = log_probs.exp()
        token = probs.argmax(dim=1, keepdim=True)
        if token.item() == EOS:
            break
        words.append(token.item())
    return words


if __name__ == "__main__":
    enc, dec = Encoder(100, 32), Decoder(32, 120)
    eo = torch.optim.SGD(enc.parameters(), lr=0.01)
    do = torch.optim.SGD(dec.parameters(), lr=0.01)
    print(train_pair(enc, dec, torch.randint(2, 100, (1, 7)), torch.randint(2, 120, (1, 5)), eo, do))
    print(greedy_decode(enc, dec, torch.randint(2, 100, (1, 7))))
