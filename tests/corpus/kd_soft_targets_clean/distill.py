"""Correct knowledge distillation: log_softmax input, teacher probabilities as the
target, batchmean reduction; soft labels also fed to cross_entropy as targets."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def kd_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):
    soft_targets = F.softmax(teacher_logits / T, dim=-1)
    log_student = F.log_softmax(student_logits / T, dim=-1)
    distill = F.kl_div(log_student, soft_targets, reduction="batchmean") * T * T
    hard = F.cross_entropy(student_logits, labels)
    return alpha * distill + (1.0 - alpha) * hard


def soft_label_ce(student_logits, teacher_logits, T=2.0):
    # cross_entropy accepts class probabilities as its *target* since torch 1.10.
    return F.cross_entropy(student_logits / T, F.softmax(teacher_logits / T, dim=1))


class LogTargetKD(nn.Module):
    def __init__(self):
        super().__init__()
        self.kl = nn.KLDivLoss(reduction="batchmean", log_target=True)

    def forward(self, student_logits, teacher_logits):
        return self.kl(
            F.log_softmax(student_logits, dim=-1), F.log_softmax(teacher_logits, dim=-1)
        )


def train(student, teacher, loader, epochs=1):
    teacher.eval()
    opt = torch.optim.AdamW(student.parameters(), lr=5e-4)
    log_kd = LogTargetKD()
    for _ in range(epochs):
        for x, y in loader:
            with torch.no_grad():
                t_logits = teacher(x)
                t_probs = t_logits.softmax(dim=-1)
            s_logits = student(x)
            loss = kd_loss(s_logits, t_logits, y) + soft_label_ce(s_logits, t_logits)
            loss = loss + log_kd(s_logits, t_logits)
            agreement = (s_logits.argmax(-1) == t_probs.argmax(-1)).float().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(f"loss {loss.item():.3f} agreement {agreement.item():.2f}")


if __name__ == "__main__":
    teacher = nn.Linear(10, 5)
    student = nn.Linear(10, 5)
    train(student, teacher, [(torch.randn(8, 10), torch.randint(0, 5, (8,)))])
