"""pytorch-fid's trace term kept line for line in spirit: `covmean, _ = sqrtm(sigma1 @ sigma2, disp=False)`.

Approach of mseitzer/pytorch-fid, src/pytorch_fid/fid_score.py (calculate_frechet_distance), reproduced in our own
words: sqrtm of the product, an eps * I offset retry when it is not finite, the real part kept. With the scipy we
install, sqrtm(A, disp=False) returns a bare array for a 1 x 1 matrix instead of the pair (root, error estimate),
so the unpacking fails for one feature (d = 1), which the contract allows.
"""
EXERCISE = "trace_sqrt_product"
EXPECT = "disp=False"


def trace_sqrt_product(sigma1, sigma2):
    import warnings

    import numpy as np
    import scipy.linalg

    a = sigma1.detach().double().numpy()
    b = sigma2.detach().double().numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        covmean, _ = scipy.linalg.sqrtm(a @ b, disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(a.shape[0]) * 1e-6
        covmean = scipy.linalg.sqrtm((a + offset) @ (b + offset))
    return float(np.trace(covmean.real))
