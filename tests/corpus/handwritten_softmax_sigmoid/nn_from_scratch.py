"""Course-style code: activations written by hand with torch.exp, as user functions
and inline, then handed to losses that apply their own activation."""

import torch
import torch.nn.functional as F


def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def softmax(z, dim=1):
    z = z - z.max(dim=dim, keepdim=True).values
    e = torch.exp(z)
    return e / e.sum(dim=dim, keepdim=True)


def softmax_d2l(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition  # broadcasting


def net_d2l(X, W, b):
    return softmax_d2l(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


class TwoLayerNet(torch.nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.W1 = torch.nn.Parameter(torch.randn(n_in, n_hidden) * 0.01)
        self.W2 = torch.nn.Parameter(torch.randn(n_hidden, n_out) * 0.01)

    def forward(self, x):
        h = sigmoid(x @ self.W1)
        return softmax(h @ self.W2)


def train(loader, epochs=20):
    net = TwoLayerNet(784, 100, 10)
    w = torch.randn(784, 1, requires_grad=True)
    optimizer = torch.optim.SGD([*net.parameters(), w], lr=0.1)
    for epoch in range(epochs):
        for x, y, is_digit in loader:
            out = net(x)
            loss = F.cross_entropy(out, y)  # expect: LL001
            scores = x @ w
            p = 1.0 / (1.0 + (-scores).exp())
            loss = loss + F.binary_cross_entropy_with_logits(p.squeeze(1), is_digit)  # expect: LL002
            loss = loss + F.binary_cross_entropy(sigmoid(scores).squeeze(1), is_digit)  # expect: LL006
            logits = x @ w
            q = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
            loss = loss + F.nll_loss(q, y)  # expect: LL004
            y_hat = net_d2l(x, w, 0.0)
            loss = loss + F.cross_entropy(y_hat, y)  # expect: LL001
            log_p = F.log_softmax(x @ w, dim=1)
            loss = loss + F.cross_entropy(torch.exp(log_p), y)  # expect: LL001
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
