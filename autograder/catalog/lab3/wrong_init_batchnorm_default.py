"""Initialisation that sets only the convolutions and leaves batch norm at PyTorch's defaults (weight 1, bias 0)."""
EXERCISE = "init_weights"
EXPECT = "N(1, 0.02)"

import torch.nn as nn


def init_weights(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
