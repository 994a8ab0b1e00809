"""Simultaneous GDA written as alternating: y's step reads the already-updated x."""
EXERCISE = "simultaneous_gda_step"
EXPECT = "both players read the *old* point"


def simultaneous_gda_step(x, y, eta):
    x = x - eta * y
    y = y + eta * x
    return x, y
