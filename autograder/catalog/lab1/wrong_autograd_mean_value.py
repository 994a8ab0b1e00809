"""Autograd step with V = (x * y).mean(): right for one-element players, every gradient 1/n too small otherwise.

GAN losses are batch means (e.g. the BCE losses of the PyTorch DCGAN tutorial), so `.mean()` is the reflex;
here V is the sum over the entries. Our own code.
"""
EXERCISE = "autograd_gda_step"
EXPECT = "not the mean"
EDIT = [("value = (x * y).sum()", "value = (x * y).mean()"),
        ("loss_y = -(x.detach() * y).sum()", "loss_y = -(x.detach() * y).mean()")]
