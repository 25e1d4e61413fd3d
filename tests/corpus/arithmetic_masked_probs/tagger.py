"""A sequence tagger whose forward masks padded positions of its softmax output, a
multi-label head clamped away from 0 and 1, a sharpened distribution whose log is
taken, and a two-model average given to NLL."""

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class Tagger(nn.Module):
    def __init__(self, vocab, dim, num_tags):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.rnn = nn.LSTM(dim, dim, batch_first=True)
        self.classifier = nn.Linear(dim, num_tags)

    def forward(self, tokens):
        h, _ = self.rnn(self.embed(tokens))
        probs = F.softmax(self.classifier(h), dim=-1)
        mask = (tokens != PAD).unsqueeze(-1).float()
        return probs * mask


def train_step(tagger, labeler, teacher_a, teacher_b, batch, temperature=2.0):
    tokens, tags, labels, x, y = batch
    num_tags = tagger.classifier.out_features
    criterion = nn.CrossEntropyLoss(ignore_index=PAD)
    out = tagger(tokens)
    loss = criterion(out.view(-1, num_tags), tags.view(-1))  # expect: LL001

    p = torch.sigmoid(labeler(x)).clamp(min=1e-6, max=1 - 1e-6)
    loss = loss + F.binary_cross_entropy_with_logits(p, labels)  # expect: LL002

    sharpened = F.softmax(teacher_a(x), dim=1) ** (1.0 / temperature)
    log_sharp = torch.log(sharpened)  # expect: LL005
    loss = loss - log_sharp.mean()

    sharpened = sharpened / sharpened.sum(dim=1, keepdim=True)
    loss = loss + F.nll_loss(sharpened, y)  # expect: LL004

    ensemble = (F.softmax(teacher_a(x), dim=1) + F.softmax(teacher_b(x), dim=1)) / 2
    loss = loss + F.nll_loss(ensemble, y)  # expect: LL004
    return loss


def main(loader, vocab=5000, dim=128, num_tags=17):
    tagger = Tagger(vocab, dim, num_tags)
    labeler = nn.Linear(dim, 6)
    teacher_a, teacher_b = nn.Linear(dim, 10), nn.Linear(dim, 10)
    optimizer = torch.optim.Adam(tagger.parameters(), lr=1e-3)
    for batch in loader:
        loss = train_step(tagger, labeler, teacher_a, teacher_b, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
