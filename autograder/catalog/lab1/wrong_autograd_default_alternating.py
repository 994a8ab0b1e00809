"""Autograd step whose `alternating` flag defaults to True.

Most GAN training loops alternate (the PyTorch DCGAN tutorial and the loops built from it, e.g.
vltkv/Generate-faces-with-GAN, training/training.py), so alternating feels like the natural default; the
docstring makes the simultaneous mode the default. Calls that pass the flag are unaffected.
"""
EXERCISE = "autograd_gda_step"
EXPECT = "the default is alternating=False"
EDIT = [("opt_x, opt_y, alternating=False):", "opt_x, opt_y, alternating=True):")]
