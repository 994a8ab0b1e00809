"""Optimistic GDA with the current and previous points exchanged in the update."""
EXERCISE = "optimistic_gda_step"
EXPECT = "swapped in the update"
EDIT = [("x_new = x - 2 * eta * y + eta * y_prev", "x_new = x - 2 * eta * y_prev + eta * y"),
        ("y_new = y + 2 * eta * x - eta * x_prev", "y_new = y + 2 * eta * x_prev - eta * x")]
