"""Optimistic GDA with the history term weighted 2*eta instead of eta."""
EXERCISE = "optimistic_gda_step"
EXPECT = "history term"


def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    return x - 2 * eta * y + 2 * eta * y_prev, y + 2 * eta * x - 2 * eta * x_prev
