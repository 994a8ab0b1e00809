"""Autograd step whose maximiser is updated by hand with the optimizer's learning rate, not by opt_y.step().

Same numbers as opt_y.step() for plain SGD, different for momentum or Adam. Hand-written parameter updates
(`p.data.add_(...)` with `group["lr"]`) are common in custom game optimizers such as jkasalt/ganz_OptML,
optimizers.py; the docstring says the players move only through their optimizers. Our own code.
"""
EXERCISE = "autograd_gda_step"
EXPECT = "y did not move the way opt_y moves it"

import torch


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    opt_x.zero_grad()
    value = (x * y).sum()
    x_old = x.detach().clone()
    value.backward(inputs=[x])
    opt_x.step()
    x_seen = x.detach() if alternating else x_old
    lr_y = opt_y.param_groups[0]["lr"]
    with torch.no_grad():
        y += lr_y * x_seen  # gradient ascent on V, "the same as SGD"
    return float(value)
