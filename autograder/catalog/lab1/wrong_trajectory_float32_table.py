"""Trajectory runner that builds the table with `torch.tensor(rows)` (float32) and converts to float64 at the end.

The dtype check passes, but every point went through float32: torch.tensor infers the default dtype
(float32) from Python floats (PyTorch docs, torch.tensor / torch.get_default_dtype), a frequent source of
silent precision loss in long runs. Our own code.
"""
EXERCISE = "run_trajectory"
EXPECT = "went through float32"

import torch


def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    rows = [[x0, y0]]
    x, y, x_prev, y_prev = x0, y0, x0, y0
    for _ in range(num_steps):
        new = step(x, y, x_prev, y_prev, eta) if uses_history else step(x, y, eta)
        x_prev, y_prev = x, y
        x, y = float(new[0]), float(new[1])
        rows.append([x, y])
    return torch.tensor(rows).to(torch.float64)
