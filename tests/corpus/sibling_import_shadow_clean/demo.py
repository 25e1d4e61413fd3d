import torch
from nets import Net

model = Net().eval()
with torch.no_grad():
    probs = model(torch.rand(1, 1, 28, 28))
print(probs.argmax(dim=1).item(), probs.max().item())
