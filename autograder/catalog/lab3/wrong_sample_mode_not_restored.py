"""Sampling in evaluation mode that leaves the generator there: training then continues with running statistics."""
EXERCISE = "sample"
EXPECT = "restore"

import torch


def sample(generator, z):
    generator.eval()
    with torch.no_grad():
        return generator(z)
