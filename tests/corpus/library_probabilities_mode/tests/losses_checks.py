import torch
import torch.nn.functional as F

from segloss import FocalLoss, mean_log_prob, nll_of_probs, smoothed_nll


def test_losses_match_the_reference():
    torch.manual_seed(0)
    logits = torch.randn(16, 4, requires_grad=True)
    target = torch.randint(0, 4, (16,))
    reference = F.nll_loss(F.log_softmax(logits, dim=1), target)
    probs = torch.softmax(logits, dim=1)
    assert torch.allclose(nll_of_probs(probs, target), reference, atol=1e-5)
    assert torch.allclose(smoothed_nll(logits, target), reference, atol=1e-4)
    loss = FocalLoss(gamma=2.0)(probs, target)
    assert torch.isfinite(loss)
    loss.backward()


def test_clamped_probabilities_are_finite():
    logits = torch.randn(16, 4)
    target = torch.randint(0, 4, (16,))
    clamped = torch.softmax(logits, dim=1).clamp(min=1e-7)
    assert torch.isfinite(mean_log_prob(clamped, target))
