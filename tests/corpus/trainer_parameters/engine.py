def run_epoch(model, loader, criterion, optimizer):
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)  # expect: LL002
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total


class Trainer:
    def __init__(self, model, criterion):
        self.model = model
        self.criterion = criterion

    def step(self, x, y):
        out = self.model(x)
        return self.criterion(out.squeeze(-1), y)  # expect: LL002
