"""Alternating GDA with the maximiser first: y steps at the old x, then x reacts to the new y.

This is the order of most GAN loops, which update the discriminator before the generator (e.g.
vltkv/Generate-faces-with-GAN, training/training.py: "update Discriminator" then "update Generator", as in
the PyTorch DCGAN tutorial), but this lab's alternating method moves x first. Our own code.
"""
EXERCISE = "alternating_gda_step"
EXPECT = "in this lab x moves first"


def alternating_gda_step(x, y, eta):
    y_new = y + eta * x
    x_new = x - eta * y_new
    return x_new, y_new
