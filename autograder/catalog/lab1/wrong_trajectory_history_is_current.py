"""Trajectory runner that passes the current point as the 'previous' one (optimism silently disabled)."""
EXERCISE = "run_trajectory"
EXPECT = "received the current point as the previous one"

import torch


def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    points = [[float(x0), float(y0)]]
    x, y = x0, y0
    for _ in range(num_steps):
        x, y = step(x, y, x, y, eta) if uses_history else step(x, y, eta)
        points.append([float(x), float(y)])
    return torch.tensor(points, dtype=torch.float64)
