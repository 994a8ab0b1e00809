"""All four update rules written with one complex number u = x + iy (descent-ascent is u <- u + i*eta*u).

Works for floats and tensors alike by splitting real and imaginary parts at the end.
"""
EXERCISES = ["simultaneous_gda_step", "alternating_gda_step", "extragradient_step", "optimistic_gda_step"]


def _split(u, like):
    import torch

    if isinstance(like, torch.Tensor):
        return u.real.to(like.dtype), u.imag.to(like.dtype)
    return u.real, u.imag


def _u(x, y):
    import torch

    if isinstance(x, torch.Tensor):
        return torch.complex(x.double(), torch.as_tensor(y).double())
    return complex(x, y)


def simultaneous_gda_step(x, y, eta):
    u = _u(x, y)
    return _split(u + 1j * eta * u, x)


def alternating_gda_step(x, y, eta):
    x_new = x - eta * y
    return x_new, y + eta * x_new


def extragradient_step(x, y, eta):
    u = _u(x, y)
    u_half = u + 1j * eta * u
    return _split(u + 1j * eta * u_half, x)


def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    u, u_prev = _u(x, y), _u(x_prev, y_prev)
    return _split((1 + 2j * eta) * u - 1j * eta * u_prev, x)
