"""Distillation wired for an external trainer: the frozen teacher is exported with a
softmax head and only provides soft targets; the criterion goes to the trainer with
the student, which returns logits."""

import torch
import torch.nn as nn
from accelerate import Accelerator
from kd_lib import DistillationTrainer

teacher = nn.Sequential(
    nn.Linear(128, 512), nn.ReLU(), nn.Linear(512, 10), nn.Softmax(dim=-1)
).eval()
student = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(student.parameters(), lr=1e-3)

accelerator = Accelerator()
student, optimizer = accelerator.prepare(student, optimizer)
trainer = DistillationTrainer(student=student, loss_fn=criterion, soft_targets=teacher)
trainer.train(epochs=3)
