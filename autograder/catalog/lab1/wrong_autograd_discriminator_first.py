"""Alternating autograd step in GAN order: the maximiser (discriminator) steps first, then the minimiser.

The order of the PyTorch DCGAN tutorial and of loops built from it (e.g. vltkv/Generate-faces-with-GAN,
training/training.py); the docstring asks for x first. Our own code.
"""
EXERCISE = "autograd_gda_step"
EXPECT = "y stepped first"

import torch


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    opt_x.zero_grad()
    opt_y.zero_grad()
    value = (x * y).sum()
    if alternating:
        (-(x.detach() * y).sum()).backward()  # discriminator step first
        opt_y.step()
        opt_x.zero_grad()
        (x * y.detach()).sum().backward()  # then the generator against the new y
        opt_x.step()
    else:
        grad_x, grad_y = torch.autograd.grad(value, [x, y])
        x.grad, y.grad = grad_x, -grad_y
        opt_x.step()
        opt_y.step()
    return float(value.detach())
