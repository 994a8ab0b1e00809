"""Copy-paste bug: opt_x.step() is called where opt_y.step() was meant, so x moves twice and y never."""
EXERCISE = "autograd_gda_step"
EXPECT = "each optimizer must step only its own"

import torch


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    opt_x.zero_grad()
    opt_y.zero_grad()
    value = (x * y).sum()
    if alternating:
        value.backward()
        opt_x.step()
        opt_y.zero_grad()
        (-(x.detach() * y).sum()).backward()
        opt_x.step()  # BUG: should be opt_y.step()
    else:
        grad_x, grad_y = torch.autograd.grad(value, [x, y])
        x.grad, y.grad = grad_x, -grad_y
        opt_x.step()
        opt_x.step()  # BUG: should be opt_y.step()
    return float(value)
