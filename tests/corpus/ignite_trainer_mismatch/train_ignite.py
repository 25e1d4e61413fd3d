"""MNIST with PyTorch-Ignite: the trainer calls the loss, so no loss call is visible
here, but the model ends in Softmax and the criterion expects logits."""

import torch
import torch.nn as nn
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.metrics import Accuracy, Loss


def run(train_loader, val_loader, epochs=5, lr=0.01):
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256),
        nn.ReLU(),
        nn.Linear(256, 10),
        nn.Softmax(dim=1),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    criterion = nn.CrossEntropyLoss()  # expect: LL012
    trainer = create_supervised_trainer(model, optimizer, criterion)
    evaluator = create_supervised_evaluator(
        model, metrics={"accuracy": Accuracy(), "nll": Loss(criterion)}
    )

    @trainer.on(Events.EPOCH_COMPLETED)
    def log_validation(engine):
        evaluator.run(val_loader)
        print(engine.state.epoch, evaluator.state.metrics)

    trainer.run(train_loader, max_epochs=epochs)
