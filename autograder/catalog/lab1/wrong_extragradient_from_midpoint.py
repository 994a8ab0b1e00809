"""Extragradient that takes its second step from the extrapolated point instead of the start."""
EXERCISE = "extragradient_step"
EXPECT = "steps from the original"


def extragradient_step(x, y, eta):
    x_half, y_half = x - eta * y, y + eta * x
    return x_half - eta * y_half, y_half + eta * x_half
