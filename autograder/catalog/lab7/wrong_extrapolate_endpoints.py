"""The line in 1/N through the first and last measurements only, instead of a least-squares fit of all of them."""
EXERCISE = "extrapolate_to_infinite_n"
EXPECT = "first and last points"


def extrapolate_to_infinite_n(ns, values):
    import torch

    u = 1.0 / torch.as_tensor(ns, dtype=torch.float64)
    v = torch.as_tensor(values, dtype=torch.float64)
    slope = (v[0] - v[-1]) / (u[0] - u[-1])
    return float(v[-1] - slope * u[-1]), float(slope)
