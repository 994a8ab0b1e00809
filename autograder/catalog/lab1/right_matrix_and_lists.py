"""A runner built on Python lists, growth factors from the update matrices' eigenvalues, the invariant
as a quadratic form, and an autograd step with one detached loss per player and two backward passes."""
EXERCISES = ["run_trajectory", "norm_growth_factor", "alternating_invariant", "autograd_gda_step"]

import torch


def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    history = [(x0, y0)]
    for t in range(num_steps):
        x, y = history[-1]
        if uses_history:
            xp, yp = history[-2] if t > 0 else history[-1]
            history.append(step(x, y, xp, yp, eta))
        else:
            history.append(step(x, y, eta))
    return torch.tensor([[float(a), float(b)] for a, b in history], dtype=torch.float64)


def norm_growth_factor(method, eta):
    matrices = {
        "simultaneous": [[1.0, -eta], [eta, 1.0]],
        "extragradient": [[1.0 - eta**2, -eta], [eta, 1.0 - eta**2]],
    }
    if method not in matrices:
        raise ValueError(f"unknown method: {method}")
    m = torch.tensor(matrices[method], dtype=torch.float64)
    return torch.linalg.eigvals(m).abs().max().item()


def alternating_invariant(x, y, eta):
    # E = [x y] Q [x y]^T with Q = [[1, -eta/2], [-eta/2, 1]]
    return x * (x - eta / 2 * y) + y * (y - eta / 2 * x)


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    start_value = float((x * y).sum())
    if not alternating:
        x_old = x.detach().clone()
    opt_x.zero_grad()
    loss_x = (x * y.detach()).sum()
    loss_x.backward()
    opt_x.step()
    opt_y.zero_grad()
    x_seen = x.detach() if alternating else x_old
    loss_y = -(x_seen * y).sum()
    loss_y.backward()
    opt_y.step()
    return start_value
