"""Sampling that turns gradient tracking off with torch.set_grad_enabled(False) and never turns it back on:
the samples are right, but every later training step in the process silently builds no graph."""
EXERCISE = "sample"
EXPECT = "set_grad_enabled"

import torch


def sample(generator, z):
    was_training = generator.training
    generator.eval()
    torch.set_grad_enabled(False)
    images = generator(z)
    generator.train(was_training)
    return images
