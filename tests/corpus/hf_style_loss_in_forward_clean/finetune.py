import torch

from modeling import BertLikeForSequenceClassification


def finetune(batches, epochs=1):
    model = BertLikeForSequenceClassification()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
    for _ in range(epochs):
        for embeddings, labels in batches:
            outputs = model(embeddings, labels=labels)
            outputs.loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            accuracy = (outputs.probs.argmax(-1) == labels).float().mean()
            print(f"loss {outputs.loss.item():.3f} acc {accuracy.item():.2f}")
    return model


if __name__ == "__main__":
    finetune([(torch.randn(4, 16, 128), torch.randint(0, 3, (4,)))])
