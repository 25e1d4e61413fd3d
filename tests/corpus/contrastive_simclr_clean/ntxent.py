"""SimCLR's NT-Xent loss: cross-entropy over cosine-similarity logits. The softmax
over similarities is only used to report how often the positive pair ranks first."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class ProjectionHead(nn.Module):
    def __init__(self, dim=512, out=128):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, out))

    def forward(self, h):
        return F.normalize(self.mlp(h), dim=1)


def nt_xent(z1, z2, temperature=0.5):
    z = torch.cat([z1, z2], dim=0)
    n = z1.size(0)
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    loss = F.cross_entropy(sim, targets)
    with torch.no_grad():
        top1 = (sim.softmax(dim=1).argmax(dim=1) == targets).float().mean()
    return loss, top1


def clip_loss(image_emb, text_emb, logit_scale):
    logits_per_image = logit_scale * image_emb @ text_emb.t()
    labels = torch.arange(image_emb.size(0))
    loss_i = F.cross_entropy(logits_per_image, labels)
    loss_t = F.cross_entropy(logits_per_image.t(), labels)
    return (loss_i + loss_t) / 2


if __name__ == "__main__":
    head = ProjectionHead()
    h1, h2 = torch.randn(16, 512), torch.randn(16, 512)
    print(nt_xent(head(h1), head(h2)))
    print(clip_loss(F.normalize(h1, dim=1), F.normalize(h2, dim=1), torch.tensor(14.3)))
