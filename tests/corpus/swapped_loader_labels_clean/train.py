import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from model import MLP


def distill_one_epoch(student, teacher, loader, optimizer, device, temperature=4.0):
    """Knowledge distillation: the target of the KL term is the teacher's output."""
    student.train()
    teacher.eval()
    for images, targets in loader:
        images, targets = images.to(device), targets.to(device)
        student_logits = student(images)
        with torch.no_grad():
            teacher_logits = teacher(images)
        soft = (
            F.kl_div(
                F.log_softmax(student_logits / temperature, dim=1),
                F.softmax(teacher_logits / temperature, dim=1),
                reduction="batchmean",
            )
            * temperature**2
        )
        hard = F.cross_entropy(student_logits, targets)
        loss = 0.9 * soft + 0.1 * hard
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def pseudo_label_step(student, teacher, unlabeled, optimizer):
    # The teacher's predictions become the student's labels: right order, with names
    # that read backwards.
    target_logits = teacher(unlabeled)
    pred_labels = target_logits.argmax(dim=1)
    loss = F.cross_entropy(student(unlabeled), pred_labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def finetune_on_pairs(model, images, labels, optimizer):
    # `zip` of two lists: `y` is whatever the lists hold, not a batch's labels.
    for x, y in zip(images, labels):
        loss = nn.functional.cross_entropy(y, model(x))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tf = transforms.ToTensor()
    train_loader = DataLoader(
        datasets.MNIST("data", train=True, download=True, transform=tf), batch_size=128
    )
    student = MLP(hidden=64).to(device)
    teacher = MLP(hidden=1024).to(device)
    teacher.load_state_dict(torch.load("teacher.pt"))
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
    for _ in range(args.epochs):
        distill_one_epoch(student, teacher, train_loader, optimizer, device)
    for images, _ in train_loader:
        pseudo_label_step(student, teacher, images.to(device), optimizer)


if __name__ == "__main__":
    main()
