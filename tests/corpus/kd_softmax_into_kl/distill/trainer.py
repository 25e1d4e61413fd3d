import torch
import torch.nn as nn
import torch.nn.functional as F


class DistillationTrainer:
    """Hinton-style distillation: soft teacher targets plus hard labels."""

    def __init__(self, student, teacher, temperature=4.0, alpha=0.7):
        self.student = student
        self.teacher = teacher.eval()
        self.T = temperature
        self.alpha = alpha
        self.kd_loss = nn.KLDivLoss(reduction="batchmean")
        self.ce_loss = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9)

    def step(self, images, labels):
        with torch.no_grad():
            teacher_logits = self.teacher(images)
        student_logits = self.student(images)
        soft_student = F.softmax(student_logits / self.T, dim=1)
        soft_teacher = F.softmax(teacher_logits / self.T, dim=1)
        distill = self.kd_loss(soft_student, soft_teacher) * self.T**2  # expect: LL008
        hard = self.ce_loss(student_logits, labels)
        loss = self.alpha * distill + (1 - self.alpha) * hard
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()


def feature_kd(student_feats, teacher_feats, T=2.0):
    """Attention-map distillation between matching layers."""
    total = 0.0
    for s, t in zip(student_feats, teacher_feats):
        s_map = F.softmax(s.flatten(2).mean(1) / T, dim=-1)
        t_map = F.softmax(t.flatten(2).mean(1) / T, dim=-1)
        total = total + F.kl_div(s_map, t_map, reduction="batchmean")  # expect: LL008
    return total
