"""Simultaneous GDA that updates x in place (`x -= eta * y`) after computing y_new from the old x.

The values are right and floats are unaffected, but on tensors the caller's x is overwritten: a plotting loop
that keeps the start point, or a second method run from the same tensors, silently sees the moved point.
The in-place `x += eta * deltaX` style of step functions is common in public game-dynamics code, and
huggingface/transformers issue #47741 ("Several models modify caller-provided tensors in place during
forward") is the same slip in library code. Written in our own words.
"""
EXERCISE = "simultaneous_gda_step"
EXPECT = "changed its input x in place"


def simultaneous_gda_step(x, y, eta):
    y_new = y + eta * x  # y reads the old x first, so the values stay right
    x -= eta * y  # in place on a tensor: the caller's x moves too
    return x, y_new
