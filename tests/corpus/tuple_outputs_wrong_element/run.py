import torch

from engine import Engine
from model import SceneClassifier

net = SceneClassifier()
engine = Engine(net, torch.optim.SGD(net.parameters(), lr=0.01))
fmap, labels = torch.randn(4, 512, 7, 7), torch.randint(0, 365, (4,))
print(engine.train_step(fmap, labels), engine.eval_step(fmap, labels))
