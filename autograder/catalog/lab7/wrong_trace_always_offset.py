"""The covariances always regularised with eps * I (eps = 1e-6) before the square root.

The "more stable" variant proposed in mseitzer/pytorch-fid issue #117 adds eps * I to both covariances
unconditionally (pytorch-fid itself does so only when sqrtm fails); the offset is invisible for covariances of
size 1 and dominates the result for small ones.
"""
EXERCISE = "trace_sqrt_product"
EXPECT = "regularising offset"


def trace_sqrt_product(sigma1, sigma2):
    import torch

    eye = torch.eye(sigma1.shape[0], dtype=torch.float64) * 1e-6
    s1, s2 = sigma1.double() + eye, sigma2.double() + eye
    w, v = torch.linalg.eigh(s1)
    root = (v * w.clamp(min=0).sqrt()) @ v.T
    m = root @ s2 @ root
    return float(torch.linalg.eigvalsh((m + m.T) / 2).clamp(min=0).sqrt().sum())
