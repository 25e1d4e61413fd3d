import torch
import torch.nn as nn
import torch.nn.functional as F


class AudioTagger(nn.Module):
    def __init__(self, n_mels=64, n_classes=50):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(n_mels, 128, 5, padding=2), nn.ReLU(), nn.AdaptiveMaxPool1d(1)
        )
        self.fc = nn.Linear(128, n_classes)

    def forward(self, mel):
        logits = self.fc(self.conv(mel).squeeze(-1))
        probs = torch.sigmoid(logits)
        return logits, probs
