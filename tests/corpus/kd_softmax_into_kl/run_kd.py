import torch
import torch.nn as nn

from distill import DistillationTrainer

teacher = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 512), nn.ReLU(), nn.Linear(512, 10))
student = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 64), nn.ReLU(), nn.Linear(64, 10))
trainer = DistillationTrainer(student, teacher)
for _ in range(5):
    print(trainer.step(torch.randn(16, 3, 32, 32), torch.randint(0, 10, (16,))))
