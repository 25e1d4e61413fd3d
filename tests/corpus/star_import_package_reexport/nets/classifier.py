import torch
from torch import nn


class TextClassifier(nn.Module):
    """Bag-of-embeddings classifier (fastText style)."""

    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self._init_weights()

    def _init_weights(self):
        self.embedding.weight.data.uniform_(-0.5, 0.5)
        self.fc.weight.data.uniform_(-0.5, 0.5)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return torch.softmax(self.fc(embedded), dim=-1)


def _private_helper():
    return None
