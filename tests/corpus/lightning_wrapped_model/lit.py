"""A generic LightningModule that wraps whatever model it is given; Lightning calls
its hooks, so no call to training_step is visible anywhere."""

import lightning.pytorch as pl
import torch
import torch.nn.functional as F

from models import ConvNet


class LitWrapper(pl.LightningModule):
    def __init__(self, model, lr=1e-3):
        super().__init__()
        self.model = model
        self.lr = lr

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self.model(x), y)  # expect: LL001
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        preds = self.model(x).argmax(dim=1)
        self.log("val_acc", (preds == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


if __name__ == "__main__":
    trainer = pl.Trainer(max_epochs=3)
    trainer.fit(LitWrapper(ConvNet()), train_dataloaders=None)
