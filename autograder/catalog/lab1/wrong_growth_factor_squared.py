"""Closed-form factors without the square root (the growth of the squared norm)."""
EXERCISE = "norm_growth_factor"
EXPECT = "squared norm"


def norm_growth_factor(method, eta):
    if method == "simultaneous":
        return 1 + eta**2
    if method == "extragradient":
        return 1 - eta**2 + eta**4
    raise ValueError(method)
