import torch.nn.functional as F


class Engine:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer
        self.loss_fn = F.cross_entropy

    def train_step(self, fmap, labels):
        _, probs = self.model(fmap)
        loss = self.loss_fn(probs, labels)  # expect: LL001
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def eval_step(self, fmap, labels):
        outputs = self.model(fmap)
        val_loss = self.loss_fn(outputs[0], labels)
        accuracy = (outputs[1].argmax(1) == labels).float().mean()
        return val_loss.item(), accuracy.item()
