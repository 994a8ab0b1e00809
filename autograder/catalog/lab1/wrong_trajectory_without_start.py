"""Trajectory runner that records only the points after each step (the start row is missing)."""
EXERCISE = "run_trajectory"
EXPECT = "row 0 must be the starting point"

import torch


def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    rows = []
    x, y, x_prev, y_prev = x0, y0, x0, y0
    for _ in range(num_steps):
        new = step(x, y, x_prev, y_prev, eta) if uses_history else step(x, y, eta)
        x_prev, y_prev = x, y
        x, y = new
        rows.append([float(x), float(y)])
    return torch.tensor(rows, dtype=torch.float64).reshape(-1, 2)
