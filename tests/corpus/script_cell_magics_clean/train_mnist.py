# A training script written for VS Code's interactive window: `# %%` cells, with
# IPython lines that plain Python would refuse.

# %%
%matplotlib inline
!pip install -q torchvision
import torch
import torch.nn.functional as F
from torch import nn

# %%
%%time
device = "cuda" if torch.cuda.is_available() else "cpu"
batches = [(torch.randn(64, 784), torch.randint(0, 10, (64,))) for _ in range(10)]
print("%d batches of %d"
      % (len(batches), 64))

# %%
%%bash
nvidia-smi --query-gpu=name --format=csv (
echo "training"

# %%
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
F.cross_entropy?
checkpoints = !ls checkpoints

# %%
for epoch in range(2):
    for images, labels in batches:
        optimizer.zero_grad()
        logits = model(images.to(device))
        if (logits.shape[1]
                != 10):
            raise ValueError("expected 10 classes")
        loss = F.cross_entropy(logits, labels.to(device))
        loss.backward()
        optimizer.step()
    %time print(f"epoch {epoch}: loss {loss.item():.3f}")

# %%
with torch.no_grad():
    probs = F.softmax(model(batches[0][0]), dim=1)
probs.argmax(dim=1)?
