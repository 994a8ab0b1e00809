"""Both players minimise V: the maximiser's loss is V instead of -V."""
EXERCISE = "autograd_gda_step"
EXPECT = "should *ascend* V"


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    opt_x.zero_grad()
    opt_y.zero_grad()
    value = (x * y).sum()
    value.backward()
    opt_x.step()
    if alternating:
        opt_y.zero_grad()
        (x.detach() * y).sum().backward()
    opt_y.step()
    return float(value)
