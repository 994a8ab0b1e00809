"""Trajectory runner that keeps the point in one tensor and stores the "previous" point as an alias of it.

`z_prev = z` followed by an in-place write into z makes the previous point equal the current one from the
second step on: the aliasing bug of shivram1987/diffGrad issue #2 ("Previous grad is same as current grad
due to call by reference", fixed with `.clone()`) and yangluo7/CAME issue #2. Our own code.
"""
EXERCISE = "run_trajectory"
EXPECT = "received the current point as the previous one"

import torch


def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    z = torch.tensor([float(x0), float(y0)], dtype=torch.float64)
    z_prev = z.clone()  # correct at t = 0 ...
    rows = [z.clone()]
    for _ in range(num_steps):
        if uses_history:
            new = step(float(z[0]), float(z[1]), float(z_prev[0]), float(z_prev[1]), eta)
        else:
            new = step(float(z[0]), float(z[1]), eta)
        z_prev = z  # ... but from here on an alias, not a copy
        z[0], z[1] = float(new[0]), float(new[1])
        rows.append(z.clone())
    return torch.stack(rows)
