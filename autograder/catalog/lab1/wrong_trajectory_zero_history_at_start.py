"""Trajectory runner that starts the history at (0, 0) instead of the start point.

Optimistic optimizers often initialise the stored previous gradient with zeros (sofiadorogova/style_transfer,
style_transfer/algos/optimistic_adam.py: `'prev_grad': torch.zeros_like(p)`), and google-deepmind/optax
issue #1082 reports the abnormal first jump this causes in `scale_by_optimistic_gradient`. The docstring
says the start is its own predecessor. Our own code.
"""
EXERCISE = "run_trajectory"
EXPECT = "not (0, 0)"
EDIT = [("x_prev, y_prev = x, y  # the start is its own predecessor", "x_prev, y_prev = 0.0, 0.0")]
