import torch
import torch.nn as nn

from trainer import Predictor, Trainer

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 4))
trainer = Trainer(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1))
loader = [(torch.randn(8, 10), torch.randint(0, 4, (8,)))]
trainer.fit(loader, epochs=3)

regressor = nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())
Trainer(regressor, nn.MSELoss(), torch.optim.Adam(regressor.parameters())).fit(
    [(torch.randn(8, 10), torch.rand(8, 1))]
)
print(Predictor(model).predict_proba(torch.randn(2, 10)))
