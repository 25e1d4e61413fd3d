"""Losses shared by the experiments (`from losses import *`)."""

import torch.nn as nn

ce = nn.CrossEntropyLoss()
smooth_ce = nn.CrossEntropyLoss(label_smoothing=0.1)
mse = nn.MSELoss()
