import torch
import torch.nn as nn


def train(args, train_dataloader, model, optimizer, scheduler):
    model.train()
    global_step = 0
    tr_loss = 0.0
    for epoch in range(args.num_epochs):
        for step, (inputs, labels) in enumerate(train_dataloader):
            inputs, labels = inputs.to(args.device), labels.to(args.device)
            outputs = model(inputs)
            loss = nn.CrossEntropyLoss(outputs, labels)  # expect: LL011
            if args.gradient_accumulation_steps > 1:
                loss = loss / args.gradient_accumulation_steps
            loss.backward()
            tr_loss += loss.item()
            if (step + 1) % args.gradient_accumulation_steps == 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), args.max_grad_norm)
                optimizer.step()
                scheduler.step()
                model.zero_grad()
                global_step += 1
    return global_step, tr_loss / max(global_step, 1)


@torch.no_grad()
def validate(model, dataloader, device):
    model.eval()
    total = 0.0
    for images, targets in dataloader:
        outputs = model(images.to(device))
        total += torch.nn.CrossEntropyLoss(outputs, targets.to(device)).item()  # expect: LL011
    return total / len(dataloader)
