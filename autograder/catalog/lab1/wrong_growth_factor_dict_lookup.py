"""Factors looked up in a dict, so an unknown method raises KeyError instead of ValueError."""
EXERCISE = "norm_growth_factor"
EXPECT = "expected ValueError"

import math


def norm_growth_factor(method, eta):
    factors = {
        "simultaneous": math.sqrt(1 + eta**2),
        "extragradient": math.sqrt(1 - eta**2 + eta**4),
    }
    return factors[method]
