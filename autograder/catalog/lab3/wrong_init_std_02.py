"""Initialisation drawing convolution weights with std 0.2 (a misread 0.02)."""
EXERCISE = "init_weights"
EXPECT = "std 0.02"

import torch.nn as nn


def init_weights(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.2)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
