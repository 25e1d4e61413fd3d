import torch

import segloss
from segloss import normalized_nll_loss, scores_nll_loss


def test_focal_loss_from_logits_false_multiclass():
    torch.manual_seed(0)
    input_logits = torch.tensor([[0.0, 10.0, 0.0], [10.0, 0.0, 0.0], [0.0, 0.0, 10.0]]).float()
    target = torch.tensor([1, 0, 2]).long()
    # Convert to probabilities
    input_probs = torch.softmax(input_logits, dim=1)

    loss_logits = segloss.FocalLoss(mode="multiclass", from_logits=True)(input_logits, target)
    loss_probs = segloss.FocalLoss(mode="multiclass", from_logits=False)(input_probs, target)

    assert torch.isfinite(loss_probs)
    assert abs(loss_logits - loss_probs) < 0.2


def test_normalized_scores_match_cross_entropy():
    logits = torch.randn(8, 5)
    labels = torch.randint(0, 5, (8,))
    probs = logits.softmax(dim=-1)
    expected = torch.nn.functional.cross_entropy(logits, labels)
    assert torch.allclose(scores_nll_loss(probs, labels), expected, atol=1e-4)
    assert torch.allclose(normalized_nll_loss(probs, labels), expected, atol=1e-4)
