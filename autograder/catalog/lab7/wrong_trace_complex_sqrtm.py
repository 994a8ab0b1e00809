"""scipy.linalg.sqrtm of the product, trace returned as is: complex when rounding gives complex eigenvalues.

The classic FID snippet without pytorch-fid's `covmean.real` step.
"""
EXERCISE = "trace_sqrt_product"
EXPECT = "complex"


def trace_sqrt_product(sigma1, sigma2):
    import numpy as np
    import scipy.linalg

    covmean = scipy.linalg.sqrtm(np.asarray(sigma1, dtype=np.float64) @ np.asarray(sigma2, dtype=np.float64))
    return np.trace(covmean)
