"""FixMatch-style pseudo-labelling: the teacher's softmax gives confidence and hard
labels; the student's logits go into cross_entropy."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def fixmatch_loss(model, x_labelled, y, u_weak, u_strong, threshold=0.95, lambda_u=1.0):
    sup = F.cross_entropy(model(x_labelled), y)
    with torch.no_grad():
        probs = torch.softmax(model(u_weak), dim=-1)
        max_probs, pseudo = torch.max(probs, dim=-1)
        mask = max_probs.ge(threshold).float()
    unsup = (F.cross_entropy(model(u_strong), pseudo, reduction="none") * mask).mean()
    return sup + lambda_u * unsup


def distribution_alignment(probs, running_mean):
    aligned = probs * (1.0 / running_mean)
    return aligned / aligned.sum(dim=1, keepdim=True)


if __name__ == "__main__":
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    loss = fixmatch_loss(
        model,
        torch.randn(8, 16),
        torch.randint(0, 10, (8,)),
        torch.randn(32, 16),
        torch.randn(32, 16),
    )
    opt.zero_grad()
    loss.backward()
    opt.step()
