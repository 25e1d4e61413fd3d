"""Distillation with log-probabilities done right, but KLDivLoss left on its default
reduction, which averages over classes as well as the batch."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class KDLoss(nn.Module):
    def __init__(self, temperature=3.0, alpha=0.5):
        super().__init__()
        self.T = temperature
        self.alpha = alpha
        self.kl = nn.KLDivLoss()  # expect: LL009
        self.ce = nn.CrossEntropyLoss()

    def forward(self, student_logits, teacher_logits, labels):
        log_p = F.log_softmax(student_logits / self.T, dim=-1)
        q = F.softmax(teacher_logits / self.T, dim=-1)
        soft = self.kl(log_p, q) * self.T * self.T
        return self.alpha * soft + (1 - self.alpha) * self.ce(student_logits, labels)


def symmetric_kl(logits_a, logits_b):
    """Consistency between two augmented views (R-Drop)."""
    log_a = F.log_softmax(logits_a, dim=-1)
    log_b = F.log_softmax(logits_b, dim=-1)
    kl_ab = F.kl_div(log_a, log_b, log_target=True)  # expect: LL009
    kl_ba = F.kl_div(log_b, log_a, reduction="mean", log_target=True)  # expect: LL009
    return (kl_ab + kl_ba) / 2


def train(student, teacher, loader):
    criterion = KDLoss()
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
    for x, y in loader:
        with torch.no_grad():
            t = teacher(x)
        s1, s2 = student(x), student(x)
        loss = criterion(s1, t, y) + 0.1 * symmetric_kl(s1, s2)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
