"""Conserved quantity with the wrong sign on the cross term."""
EXERCISE = "alternating_invariant"
EXPECT = "sign of the cross term"
EDIT = [("return x**2 + y**2 - eta * x * y", "return x**2 + y**2 + eta * x * y")]
