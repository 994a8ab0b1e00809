"""Extragradient that takes its second step from the extrapolated point instead of the start."""
EXERCISE = "extragradient_step"
EXPECT = "steps from the original"
EDIT = [("return x - eta * y_half, y + eta * x_half", "return x_half - eta * y_half, y_half + eta * x_half")]
