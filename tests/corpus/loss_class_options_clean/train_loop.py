import torch
import torch.nn as nn


class CrossEntropyLoss2d(nn.Module):
    """Legacy segmentation loss: (weight, size_average) are options, positionally."""

    def __init__(self, weight=None, size_average=True, ignore_index=255):
        super().__init__()
        self.nll_loss = nn.NLLLoss(weight, size_average, ignore_index)

    def forward(self, inputs, targets):
        return self.nll_loss(torch.log_softmax(inputs, dim=1), targets)


def class_weights(dataloader, num_classes):
    counts = torch.zeros(num_classes)
    for _, masks in dataloader:
        counts += torch.bincount(masks.flatten(), minlength=num_classes)[:num_classes]
    return counts.sum() / (num_classes * counts.clamp(min=1))


def train(args, train_dataloader, model, optimizer):
    weights = class_weights(train_dataloader, args.num_classes).to(args.device)
    criterion = nn.CrossEntropyLoss(weights, ignore_index=255)
    legacy = CrossEntropyLoss2d(weights, True)
    model.train()
    tr_loss = 0.0
    for images, masks in train_dataloader:
        images, masks = images.to(args.device), masks.to(args.device)
        outputs = model(images)
        loss = criterion(outputs, masks) + 0.5 * legacy(outputs, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        tr_loss += loss.item()
    return tr_loss / len(train_dataloader)
