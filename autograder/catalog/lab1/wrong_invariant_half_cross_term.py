"""Conserved quantity with - eta/2 * x * y: one off-diagonal entry of the quadratic form Q = [[1, -eta/2],
[-eta/2, 1]] taken as the whole cross term (z^T Q z counts it twice)."""
EXERCISE = "alternating_invariant"
EXPECT = "half what it should be"
EDIT = [("return x**2 + y**2 - eta * x * y", "return x**2 + y**2 - eta / 2 * x * y")]
