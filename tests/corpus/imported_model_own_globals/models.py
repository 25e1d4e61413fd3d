from torch import nn
from torch.nn.functional import softmax


class Scorer(nn.Module):
    def __init__(self, dim, classes):
        super().__init__()
        self.proj = nn.Linear(dim, classes)

    def forward(self, x):
        return softmax(self.proj(x), dim=1)
