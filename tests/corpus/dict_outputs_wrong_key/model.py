import torch
import torch.nn as nn


class Detector(nn.Module):
    def __init__(self, dim=256, classes=21):
        super().__init__()
        self.cls_head = nn.Linear(dim, classes)
        self.box_head = nn.Linear(dim, 4)

    def forward(self, roi_features):
        scores = self.cls_head(roi_features)
        return {
            "class_logits": scores,
            "class_probs": torch.softmax(scores, dim=-1),
            "boxes": self.box_head(roi_features),
        }


def detection_loss(model, roi_features, labels, box_targets):
    out = model(roi_features)
    cls_loss = nn.functional.cross_entropy(out["class_probs"], labels)  # expect: LL001
    box_loss = nn.functional.smooth_l1_loss(out["boxes"], box_targets, beta=1.0 / 9)
    return cls_loss + box_loss


if __name__ == "__main__":
    det = Detector()
    print(detection_loss(det, torch.randn(8, 256), torch.randint(0, 21, (8,)), torch.randn(8, 4)))
