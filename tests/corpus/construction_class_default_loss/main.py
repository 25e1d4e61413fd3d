import torch
import torch.nn as nn

from segmenter import BinarySegmenter, Trainer

backbone = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU())
trainer = Trainer(BinarySegmenter(backbone))
for _ in range(10):
    trainer.step(torch.randn(2, 3, 64, 64), torch.randint(0, 2, (2, 1, 64, 64)).float())
