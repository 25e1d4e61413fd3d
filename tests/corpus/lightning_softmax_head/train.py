import lightning.pytorch as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from litmodel import LitClassifier


def main():
    data = TensorDataset(torch.randn(256, 32), torch.randint(0, 5, (256,)))
    loader = DataLoader(data, batch_size=32)
    trainer = pl.Trainer(max_epochs=3, accelerator="auto")
    trainer.fit(LitClassifier(), loader, loader)


if __name__ == "__main__":
    main()
