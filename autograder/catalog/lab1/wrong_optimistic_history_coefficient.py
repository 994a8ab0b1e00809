"""Optimistic GDA with the history term weighted 2*eta instead of eta."""
EXERCISE = "optimistic_gda_step"
EXPECT = "history term"
EDIT = [("x_new = x - 2 * eta * y + eta * y_prev", "x_new = x - 2 * eta * y + 2 * eta * y_prev"),
        ("y_new = y + 2 * eta * x - eta * x_prev", "y_new = y + 2 * eta * x - 2 * eta * x_prev")]
