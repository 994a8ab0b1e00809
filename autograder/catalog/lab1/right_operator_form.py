"""The four update rules written with the game's operator F(x, y) = (dV/dx, -dV/dy) = (y, -x), as
variational-inequality code writes them.

Peer code adapted to our signatures, in our own words: the extragradient step follows
alexrogozin12/data_sim_sp, methods/saddle/extragradient.py (w = z - s * F(z); z = z - s * F(w)), and the
optimistic step follows the "2 * grad - prev_grad" direction of optimistic optimizers such as
sofiadorogova/style_transfer, style_transfer/algos/optimistic_adam.py. Nothing is computed in place, so
floats stay floats and tensors keep their shape and dtype.
"""
EXERCISES = ["simultaneous_gda_step", "alternating_gda_step", "extragradient_step", "optimistic_gda_step"]


def _operator(x, y):
    """F(z): the direction each player moves *against* (x descends V, y ascends it)."""
    return y, -x


def _move(x, y, direction, eta):
    fx, fy = direction
    return x - eta * fx, y - eta * fy


def simultaneous_gda_step(x, y, eta):
    return _move(x, y, _operator(x, y), eta)


def alternating_gda_step(x, y, eta):
    fx, _ = _operator(x, y)
    x_new = x - eta * fx
    _, fy = _operator(x_new, y)  # y's direction at the new x
    return x_new, y - eta * fy


def extragradient_step(x, y, eta):
    w = _move(x, y, _operator(x, y), eta)  # extrapolation
    return _move(x, y, _operator(*w), eta)  # from the original point, along F(w)


def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    gx, gy = _operator(x, y)
    px, py = _operator(x_prev, y_prev)
    return _move(x, y, (2 * gx - px, 2 * gy - py), eta)
