import torch
import torch.nn as nn

from .blocks import double_conv


class UNet(nn.Module):
    """A two-level U-Net producing a foreground mask."""

    def __init__(self, in_channels=3, base=16):
        super().__init__()
        self.down1 = double_conv(in_channels, base)
        self.down2 = double_conv(base, base * 2)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ConvTranspose2d(base * 2, base, 2, stride=2)
        self.fuse = double_conv(base * 2, base)
        self.out = nn.Conv2d(base, 1, 1)

    def forward(self, x):
        skip = self.down1(x)
        x = self.down2(self.pool(skip))
        x = self.fuse(torch.cat([self.up(x), skip], dim=1))
        return torch.sigmoid(self.out(x))
