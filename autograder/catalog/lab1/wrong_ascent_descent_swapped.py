"""Ascent and descent swapped: x climbs V and y descends it."""
EXERCISE = "simultaneous_gda_step"
EXPECT = "roles are swapped"
EDIT = [("return x - eta * grad_x, y + eta * grad_y", "return x + eta * grad_x, y - eta * grad_y")]
