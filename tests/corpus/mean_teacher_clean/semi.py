"""Mean Teacher: supervised CE on labelled data plus an MSE consistency loss between
the student's and the EMA teacher's softmax outputs, which is the method as published."""

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 10))


@torch.no_grad()
def update_ema(teacher, student, decay=0.99):
    for t, s in zip(teacher.parameters(), student.parameters()):
        t.mul_(decay).add_(s, alpha=1 - decay)


def consistency_loss(student_logits, teacher_logits):
    student_probs = F.softmax(student_logits, dim=1)
    teacher_probs = F.softmax(teacher_logits, dim=1)
    return F.mse_loss(student_probs, teacher_probs)


def train(labelled, unlabelled, steps=100, weight=10.0):
    student = make_model()
    teacher = copy.deepcopy(student)
    opt = torch.optim.Adam(student.parameters(), lr=1e-3)
    for step, ((x, y), u) in zip(range(steps), zip(labelled, unlabelled)):
        sup = F.cross_entropy(student(x), y)
        with torch.no_grad():
            t_logits = teacher(u + 0.1 * torch.randn_like(u))
        cons = consistency_loss(student(u), t_logits)
        loss = sup + weight * min(1.0, step / 50) * cons
        opt.zero_grad()
        loss.backward()
        opt.step()
        update_ema(teacher, student)
