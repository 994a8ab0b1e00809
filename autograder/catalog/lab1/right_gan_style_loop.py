"""A GAN-style autograd step (one loss and one `minimize` per player, as in BCHoagland/Gandalf,
gandalf/algos/gan.py: `D.maximize(d_loss)` / `G.minimize(g_loss)`), a runner that keeps its history in a
deque and fills a preallocated float64 table, the invariant by completing the square, and the factors as
moduli of the update's complex eigenvalue.

Peer code adapted to our signatures, in our own words.
"""
EXERCISES = ["autograd_gda_step", "run_trajectory", "alternating_invariant", "norm_growth_factor"]

from collections import deque

import torch


def _minimize(optimizer, loss):
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def autograd_gda_step(x, y, opt_x, opt_y, alternating=False):
    x_t, y_t = x.detach().clone(), y.detach().clone()  # snapshots: copies, not views of the players
    _minimize(opt_x, (x * y_t).sum())  # the generator's loss: V
    x_seen = x.detach() if alternating else x_t
    _minimize(opt_y, -(x_seen * y).sum())  # the discriminator maximises V
    return (x_t * y_t).sum().item()


def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    table = torch.zeros(num_steps + 1, 2, dtype=torch.float64)
    table[0] = torch.tensor([x0, y0], dtype=torch.float64)
    recent = deque([(x0, y0), (x0, y0)], maxlen=2)  # (previous, current); the start precedes itself
    for t in range(1, num_steps + 1):
        (xp, yp), (x, y) = recent
        new = step(x, y, xp, yp, eta) if uses_history else step(x, y, eta)
        recent.append((float(new[0]), float(new[1])))
        table[t] = torch.tensor(recent[-1], dtype=torch.float64)
    return table


def alternating_invariant(x, y, eta):
    # x^2 + y^2 - eta*x*y = (x - eta/2 * y)^2 + (1 - eta^2/4) * y^2
    return (x - eta / 2 * y) ** 2 + (1 - eta**2 / 4) * y**2


def norm_growth_factor(method, eta):
    # Each update is a scaled rotation; its eigenvalue a + ib has modulus |a + ib|.
    match method:
        case "simultaneous":
            return abs(complex(1.0, eta))
        case "extragradient":
            return abs(complex(1.0 - eta**2, eta))
        case _:
            raise ValueError(f"no single growth factor for {method!r}")
