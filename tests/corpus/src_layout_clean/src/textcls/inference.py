import torch
import torch.nn.functional as F


@torch.inference_mode()
def classify(model, text, offsets, labels):
    model.eval()
    probs = F.softmax(model(text, offsets), dim=1)
    conf, idx = probs.max(dim=1)
    return [(labels[i], c) for i, c in zip(idx.tolist(), conf.tolist())]
