import torch
import torch.nn as nn


class LMTrainer:
    def __init__(self, model, vocab, lr=1e-3, clip=1.0):
        self.model = model
        self.vocab = vocab
        self.clip = clip
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def train_batch(self, inputs, targets):
        self.model.train()
        probs, _ = self.model(inputs)
        loss = self.criterion(probs.reshape(-1, self.vocab), targets.reshape(-1))  # expect: LL001
        self.optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)
        self.optimizer.step()
        return loss.item()

    @torch.no_grad()
    def perplexity(self, inputs, targets):
        self.model.eval()
        probs, _ = self.model(inputs)
        picked = probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        return torch.exp(-picked.log().mean()).item()  # expect: LL005
