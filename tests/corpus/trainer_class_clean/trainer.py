import torch


class Trainer:
    """Generic supervised trainer: the caller supplies model and criterion."""

    def __init__(self, model, criterion, optimizer, device="cpu"):
        self.model = model.to(device)
        self.criterion = criterion
        self.optimizer = optimizer
        self.device = device
        self.history = []

    def _step(self, batch):
        inputs, targets = (t.to(self.device) for t in batch)
        outputs = self.model(inputs)
        return self.criterion(outputs, targets)

    def fit(self, loader, epochs=1):
        for _ in range(epochs):
            self.model.train()
            epoch_loss = 0.0
            for batch in loader:
                loss = self._step(batch)
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
                epoch_loss += loss.item()
            self.history.append(epoch_loss / max(len(loader), 1))
        return self.history


class Predictor:
    def __init__(self, model):
        self.model = model.eval()

    @torch.no_grad()
    def predict_proba(self, inputs):
        return torch.softmax(self.model(inputs), dim=1)
