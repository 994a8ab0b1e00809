"""Autograd step that computes the right new values but only rebinds the local names `x` and `y`.

hugobb/sgda, gamesopt/optimizer/sgda.py writes `p = p - self.lr*g` in its SGDA step, which changes nothing
outside the loop; mlverse/torch issue #124 and ranshiju/Python-for-Tensor-Network-Tutorial issue #2 show
the same `w = w - lr * w.grad` slip. Our own code.
"""
EXERCISE = "autograd_gda_step"
EXPECT = "Neither player moved"

import torch


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    value = (x * y).sum()
    grad_x, grad_y = torch.autograd.grad(value, [x, y])
    lr_x, lr_y = opt_x.param_groups[0]["lr"], opt_y.param_groups[0]["lr"]
    x = x - lr_x * grad_x  # a new tensor bound to the local name; the caller's x is untouched
    y = y + lr_y * (x.detach() if alternating else grad_y)
    return float(value)
