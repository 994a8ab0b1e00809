"""Optimistic GDA with the current and previous points exchanged in the update."""
EXERCISE = "optimistic_gda_step"
EXPECT = "swapped in the update"


def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    return x - 2 * eta * y_prev + eta * y, y + 2 * eta * x_prev - eta * x
