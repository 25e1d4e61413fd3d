"""A MoCo-style InfoNCE where the similarity logits were softmaxed before the loss."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class InfoNCE(nn.Module):
    def __init__(self, temperature=0.07):
        super().__init__()
        self.t = temperature
        self.ce = nn.CrossEntropyLoss()

    def forward(self, q, k, queue):
        l_pos = torch.einsum("nc,nc->n", q, k).unsqueeze(-1)
        l_neg = torch.einsum("nc,ck->nk", q, queue)
        logits = torch.cat([l_pos, l_neg], dim=1) / self.t
        probs = torch.softmax(logits, dim=1)
        labels = torch.zeros(logits.shape[0], dtype=torch.long)
        return self.ce(probs, labels)  # expect: LL001


def train_step(encoder_q, encoder_k, images_q, images_k, queue, optimizer):
    criterion = InfoNCE()
    q = F.normalize(encoder_q(images_q), dim=1)
    with torch.no_grad():
        k = F.normalize(encoder_k(images_k), dim=1)
    loss = criterion(q, k, queue)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
