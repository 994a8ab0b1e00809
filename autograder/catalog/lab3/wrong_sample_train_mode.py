"""Sampling under no_grad but in training mode: batch norm uses the batch's statistics and updates its running ones."""
EXERCISE = "sample"
EXPECT = "eval()"

import torch


def sample(generator, z):
    with torch.no_grad():
        return generator(z)
