import torch.nn as nn
from torch.nn import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss

from .outputs import SequenceClassifierOutput


class BertLikeForSequenceClassification(nn.Module):
    """Computes its own loss when labels are given, choosing it by problem type."""

    def __init__(self, hidden=128, num_labels=3, problem_type="single_label_classification"):
        super().__init__()
        self.num_labels = num_labels
        self.problem_type = problem_type
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(hidden, 4, batch_first=True), num_layers=2
        )
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(hidden, num_labels)

    def forward(self, embeddings, labels=None):
        pooled = self.encoder(embeddings)[:, 0]
        logits = self.classifier(self.dropout(pooled))
        loss = None
        if labels is not None:
            if self.problem_type == "regression":
                loss = MSELoss()(logits.squeeze(-1), labels.squeeze(-1))
            elif self.problem_type == "single_label_classification":
                loss = CrossEntropyLoss()(logits.view(-1, self.num_labels), labels.view(-1))
            else:
                loss = BCEWithLogitsLoss()(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits, probs=logits.softmax(-1))
