"""Evaluation utilities: validation loss on logits, then probabilities for metrics,
top-k accuracy, an ensemble average and an entropy-based OOD score."""

import torch
import torch.nn.functional as F


@torch.no_grad()
def evaluate(model, loader, device="cpu"):
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    all_probs = []
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        logits = model(images)
        total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
        probs = F.softmax(logits, dim=1)
        correct += (probs.argmax(dim=1) == labels).sum().item()
        seen += labels.size(0)
        all_probs.append(probs.cpu())
    return total_loss / seen, correct / seen, torch.cat(all_probs)


@torch.no_grad()
def topk_accuracy(logits, labels, k=5):
    topk = logits.topk(k, dim=1).indices
    return (topk == labels[:, None]).any(dim=1).float().mean().item()


@torch.no_grad()
def ensemble_predict(models, images):
    probs = torch.stack([F.softmax(m(images), dim=-1) for m in models]).mean(0)
    return probs.argmax(-1), probs


@torch.no_grad()
def ood_score(model, images):
    log_probs = F.log_softmax(model(images), dim=-1)
    entropy = -(log_probs.exp() * log_probs).sum(-1)
    energy = -torch.logsumexp(model(images), dim=-1)
    return entropy, energy


if __name__ == "__main__":
    net = torch.nn.Linear(10, 4)
    data = [(torch.randn(8, 10), torch.randint(0, 4, (8,)))]
    print(evaluate(net, data)[:2], topk_accuracy(net(data[0][0]), data[0][1], k=2))
    print(ensemble_predict([net, net], data[0][0])[0], ood_score(net, data[0][0])[0].shape)
