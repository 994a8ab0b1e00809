"""Stand-ins with known behaviour that tests pass into student code.

A stand-in makes any wrong composition give a wrong number: e.g. a trajectory
runner fed :func:`shift_step` must reproduce an exactly known table.
"""

from __future__ import annotations


def shift_step(x, y, eta):
    """A fake update rule with an easy closed form: x grows by eta, y doubles."""
    return x + eta, 2 * y


def history_probe_step(x, y, x_prev, y_prev, eta):
    """A fake history-using rule that exposes what the runner passes as the previous point.

    x advances by eta; y becomes ``x_prev + 10 * y_prev``, so the trajectory
    records exactly which previous point the runner supplied at every step.
    """
    return x + eta, x_prev + 10 * y_prev


def set_grad(tensor, value):
    """Fill ``tensor.grad`` with ``value`` (a stale gradient, as left by an earlier backward pass)."""
    import torch

    tensor.grad = torch.full_like(tensor, float(value))
    return None
