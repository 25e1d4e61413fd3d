import torch

from model import TaggerModel

model = TaggerModel(vocab_size=1000, num_tags=9)
model.add_loss_op()
model.add_train_op(torch.optim.Adam, 1e-3)

for tokens, tags in [(torch.randint(0, 1000, (4, 20)), torch.randint(0, 9, (4, 20)))]:
    scores = model(tokens)
    loss = model.loss_fn(scores.view(-1, 9), tags.view(-1))  # expect: LL004
    model.optimizer.zero_grad()
    loss.backward()
    model.optimizer.step()
