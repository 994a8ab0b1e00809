"""np.polyfit(1 / N, values, 1) unpacked as (intercept, slope): polyfit returns the slope first."""
EXERCISE = "extrapolate_to_infinite_n"
EXPECT = "highest degree first"


def extrapolate_to_infinite_n(ns, values):
    import numpy as np

    inv_n = 1.0 / np.asarray(ns, dtype=np.float64)
    value_inf, slope = np.polyfit(inv_n, np.asarray(values, dtype=np.float64), 1)
    return float(value_inf), float(slope)
