import torch
import torch.nn as nn
import torch.nn.functional as F


class TemperatureScaler(nn.Module):
    """Wraps a trained classifier; outputs calibrated probabilities."""

    def __init__(self, model, temperature=1.5):
        super().__init__()
        self.model = model
        self.temperature = nn.Parameter(torch.tensor(temperature))

    def forward(self, x):
        return F.softmax(self.model(x) / self.temperature, dim=1)


def distributed_train_step(model, batch, optimizer):
    if isinstance(model, nn.parallel.DistributedDataParallel):
        model.require_backward_grad_sync = True
    images, labels = batch
    loss = F.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
