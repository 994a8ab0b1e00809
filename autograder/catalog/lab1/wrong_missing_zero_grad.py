"""Autograd step that never zeroes gradients: they accumulate in .grad across steps."""
EXERCISE = "autograd_gda_step"
EXPECT = "call zero_grad()"


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    value = (x * y).sum()
    if alternating:
        value.backward()
        opt_x.step()
        (-(x.detach() * y).sum()).backward()
        opt_y.step()
    else:
        value.backward(inputs=[x])
        (-(x * y).sum()).backward(inputs=[y])
        opt_x.step()
        opt_y.step()
    return float(value)
