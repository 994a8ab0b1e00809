"""Initialisation that draws every weight, batch norm's gamma included, from N(0, 0.02) (one branch for
"Conv or BatchNorm", a shortened pytorch/examples dcgan/main.py weights_init): batch norm then starts by
multiplying its normalised activations by ~0."""
EXERCISE = "init_weights"
EXPECT = "centred at 0"

import torch.nn as nn


def init_weights(module):
    name = type(module).__name__
    if "Conv" in name or "BatchNorm" in name:
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
