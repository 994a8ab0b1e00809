"""Optimistic GDA whose correction uses each player's own previous position instead of the previous gradient.

Optimistic optimizers store the previous *gradient* and step along 2*g_t - g_{t-1} (e.g.
sofiadorogova/style_transfer, style_transfer/algos/optimistic_adam.py: `optimistic_grad = 2 * grad -
prev_grad`); mapping prev_grad to the player's own previous value gives x_prev in x's update. Our own code.
"""
EXERCISE = "optimistic_gda_step"
EXPECT = "previous *gradient*"
EDIT = [("x_new = x - 2 * eta * y + eta * y_prev", "x_new = x - 2 * eta * y + eta * x_prev"),
        ("y_new = y + 2 * eta * x - eta * x_prev", "y_new = y + 2 * eta * x - eta * y_prev")]
