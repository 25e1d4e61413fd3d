from torch import nn
from transformers import PreTrainedModel

from heads import SoftmaxHead


def finetune(model: PreTrainedModel, loader, optimizer, epochs=1):
    criterion = nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        for batch in loader:
            logits = model(batch["input_ids"], attention_mask=batch["attention_mask"])
            loss = criterion(logits, batch["labels"])
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()


def serving_head(dim, classes):
    return SoftmaxHead(dim, classes)
