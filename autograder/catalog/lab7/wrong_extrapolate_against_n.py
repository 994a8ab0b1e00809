"""The bias line fitted against N instead of 1/N (and its value at N = 0 reported)."""
EXERCISE = "extrapolate_to_infinite_n"
EXPECT = "against 1/N"


def extrapolate_to_infinite_n(ns, values):
    import numpy as np

    slope, intercept = np.polyfit(np.asarray(ns, dtype=float), np.asarray(values, dtype=float), 1)
    return float(intercept), float(slope)
