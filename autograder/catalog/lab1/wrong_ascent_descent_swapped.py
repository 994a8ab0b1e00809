"""Ascent and descent swapped: x climbs V and y descends it."""
EXERCISE = "simultaneous_gda_step"
EXPECT = "roles are swapped"


def simultaneous_gda_step(x, y, eta):
    return x + eta * y, y - eta * x
