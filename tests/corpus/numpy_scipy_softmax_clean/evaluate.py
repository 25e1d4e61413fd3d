import numpy as np
import scipy.special
import torch
from sklearn.metrics import log_loss

from utils import cross_entropy, softmax
from utils.metrics import expected_calibration_error


def report(logits_path, labels_path):
    logits = np.load(logits_path)
    labels = np.load(labels_path)
    probs = softmax(logits, axis=1)
    print("nll", cross_entropy(probs, labels))
    print("sklearn log loss", log_loss(labels, scipy.special.softmax(logits, axis=1)))
    print("ece", expected_calibration_error(probs, labels))
    t_logits = torch.from_numpy(logits)
    print("torch nll", torch.nn.functional.cross_entropy(t_logits, torch.from_numpy(labels)))
    log_probs = np.log(probs)
    return log_probs


if __name__ == "__main__":
    report("logits.npy", "labels.npy")
