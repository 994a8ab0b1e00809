"""Conserved quantity with the wrong sign on the cross term."""
EXERCISE = "alternating_invariant"
EXPECT = "sign of the cross term"


def alternating_invariant(x, y, eta):
    return x**2 + y**2 + eta * x * y
