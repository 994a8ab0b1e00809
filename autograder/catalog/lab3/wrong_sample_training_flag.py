"""Sampling that sets generator.training = False by hand instead of calling generator.eval(): the flag of the
top module changes, but its batch-norm submodules stay in training mode and still use batch statistics."""
EXERCISE = "sample"
EXPECT = "submodule"

import torch


def sample(generator, z):
    was_training = generator.training
    generator.training = False
    with torch.no_grad():
        images = generator(z)
    generator.training = was_training
    return images
