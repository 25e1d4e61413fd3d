import torch
import torch.nn as nn
import torch.nn.functional as F

from ensemble import DeepEnsemble, averaged_logits


def fit(loader, members, epochs=3):
    ensemble = DeepEnsemble(20, 4)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(ensemble.parameters(), lr=0.05, momentum=0.9)
    for epoch in range(epochs):
        correct = 0
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(ensemble(x), y)
            for name, logits in ensemble.member_logits(x).items():
                loss = loss + 0.1 * criterion(logits, y)
            loss = loss + F.cross_entropy(averaged_logits(members, x), y)
            loss.backward()
            optimizer.step()
            probs = ensemble.predict_proba(x)
            correct += (probs.argmax(dim=1) == y).sum().item()
        print(epoch, correct)


def distill(student, ensemble, loader, temperature=4.0):
    """The ensemble's averaged probabilities are the target of KL: that is their place."""
    optimizer = torch.optim.SGD(student.parameters(), lr=0.01)
    for x, _ in loader:
        with torch.no_grad():
            teacher = torch.stack(
                [F.softmax(m(x) / temperature, dim=1) for m in ensemble.members]
            ).mean(0)
        log_student = F.log_softmax(student(x) / temperature, dim=1)
        loss = F.kl_div(log_student, teacher, reduction="batchmean") * temperature**2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
