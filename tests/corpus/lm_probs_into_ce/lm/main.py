import torch

from lm.model import CharLM
from lm.trainer import LMTrainer

VOCAB = 96

if __name__ == "__main__":
    trainer = LMTrainer(CharLM(VOCAB), VOCAB)
    x = torch.randint(0, VOCAB, (4, 32))
    y = torch.randint(0, VOCAB, (4, 32))
    print(trainer.train_batch(x, y), trainer.perplexity(x, y))
