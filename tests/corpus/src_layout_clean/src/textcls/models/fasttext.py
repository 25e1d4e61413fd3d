from torch import nn


class FastText(nn.Module):
    def __init__(self, vocab_size, dim, num_classes):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, dim, mode="mean")
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, text, offsets):
        return self.fc(self.embedding(text, offsets))
