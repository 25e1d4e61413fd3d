"""A part-of-speech tagger that went back and forth between probabilities and
log-probabilities before the NLL loss."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class BiLSTMTagger(nn.Module):
    def __init__(self, vocab, tags, dim=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, dim, bidirectional=True, batch_first=True)
        self.out = nn.Linear(2 * dim, tags)
        self.log_softmax = nn.LogSoftmax(dim=-1)

    def forward(self, words):
        h, _ = self.lstm(self.emb(words))
        return self.log_softmax(self.out(h))

    def tag_probabilities(self, words):
        return self(words).exp()


def train_step(tagger, optimizer, words, tags, n_tags):
    optimizer.zero_grad()
    probs = tagger.tag_probabilities(words)
    loss = F.nll_loss(probs.view(-1, n_tags), tags.view(-1), ignore_index=-100)  # expect: LL004
    loss.backward()
    optimizer.step()
    return loss.item()


def sentence_loss(tagger, words, tags):
    scores = torch.exp(F.log_softmax(tagger.out(tagger.lstm(tagger.emb(words))[0]), dim=-1))
    criterion = nn.NLLLoss()
    return criterion(scores.transpose(1, 2), tags)  # expect: LL004


if __name__ == "__main__":
    tagger = BiLSTMTagger(1000, 17)
    opt = torch.optim.SGD(tagger.parameters(), lr=0.1)
    words, tags = torch.randint(0, 1000, (2, 9)), torch.randint(0, 17, (2, 9))
    print(train_step(tagger, opt, words, tags, 17), sentence_loss(tagger, words, tags))
