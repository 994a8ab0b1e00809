"""Alternating GDA whose y step uses the old x (so it is really simultaneous GDA)."""
EXERCISE = "alternating_gda_step"
EXPECT = "must read the *new* x"


def alternating_gda_step(x, y, eta):
    x_new = x - eta * y
    y_new = y + eta * x
    return x_new, y_new
