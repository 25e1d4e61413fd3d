"""An explainer whose mask parameter is None until `_set_masks` creates it."""

import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-15


class MaskExplainer(nn.Module):
    def __init__(self, epochs=100, lr=0.01, entropy_coeff=1.0):
        super().__init__()
        self.epochs = epochs
        self.lr = lr
        self.entropy_coeff = entropy_coeff
        self.node_mask = None

    def _set_masks(self, x):
        n, d = x.size()
        self.node_mask = nn.Parameter(0.1 * torch.randn(n, d))

    def _loss(self, y_hat, y):
        loss = F.cross_entropy(y_hat, y)
        m = self.node_mask.sigmoid()
        entropy = -m * torch.log(m + EPS)  # expect: LL005
        return loss + self.entropy_coeff * entropy.mean()

    def forward(self, model, x, y):
        self._set_masks(x)
        optimizer = torch.optim.Adam([self.node_mask], lr=self.lr)
        for _ in range(self.epochs):
            optimizer.zero_grad()
            h = x * self.node_mask.sigmoid()
            loss = self._loss(model(h), y)
            loss.backward()
            optimizer.step()
        return self.node_mask.detach().sigmoid()
