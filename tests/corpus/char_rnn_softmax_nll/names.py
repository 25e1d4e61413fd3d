"""Classify surnames by language with a character RNN (after the classic tutorial,
but with Softmax where the tutorial has LogSoftmax)."""

import torch
import torch.nn as nn

ALPHABET = "abcdefghijklmnopqrstuvwxyz '"


class CharRNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.h2o = nn.Linear(hidden_size, output_size)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, letter, hidden):
        combined = torch.cat((letter, hidden), 1)
        hidden = torch.tanh(self.i2h(combined))
        output = self.softmax(self.h2o(hidden))
        return output, hidden

    def init_hidden(self):
        return torch.zeros(1, self.hidden_size)


def line_to_tensor(line):
    tensor = torch.zeros(len(line), 1, len(ALPHABET))
    for i, ch in enumerate(line):
        tensor[i][0][ALPHABET.find(ch)] = 1
    return tensor


rnn = CharRNN(len(ALPHABET), 128, 18)
criterion = nn.NLLLoss()
learning_rate = 0.005


def train(category_tensor, line_tensor):
    hidden = rnn.init_hidden()
    rnn.zero_grad()
    for i in range(line_tensor.size()[0]):
        output, hidden = rnn(line_tensor[i], hidden)
    loss = criterion(output, category_tensor)  # expect: LL004
    loss.backward()
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)
    return output, loss.item()


if __name__ == "__main__":
    print(train(torch.tensor([3]), line_to_tensor("albert")))
