import torch
import torch.nn.functional as F

from net import AudioTagger


def train_epoch(model, loader, optimizer):
    model.train()
    for mel, tags in loader:
        logits, probs = model(mel)
        loss = F.binary_cross_entropy_with_logits(logits, tags)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        mean_ap_proxy = (probs.detach() * tags).sum() / tags.sum().clamp(min=1)
        print(f"{loss.item():.4f} {mean_ap_proxy.item():.3f}")


def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        for mel, tags in loader:
            outputs = model(mel)
            val_loss = F.binary_cross_entropy_with_logits(outputs[0], tags)
            hits = ((outputs[1] > 0.5) == tags.bool()).float().mean()
            print(val_loss.item(), hits.item())


if __name__ == "__main__":
    net = AudioTagger()
    data = [(torch.randn(4, 64, 100), torch.randint(0, 2, (4, 50)).float())]
    train_epoch(net, data, torch.optim.Adam(net.parameters()))
    evaluate(net, data)
