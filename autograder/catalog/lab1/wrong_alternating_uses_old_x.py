"""Alternating GDA whose y step uses the old x (so it is really simultaneous GDA)."""
EXERCISE = "alternating_gda_step"
EXPECT = "must read the *new* x"
EDIT = [("y_new = y + eta * x_new  # y reacts", "y_new = y + eta * x  # y reacts")]
