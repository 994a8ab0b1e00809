"""A jitter added to the covariances *in place* (sigma.diagonal().add_(eps)) to make the Cholesky factor exist.

A common stabilisation written with an in-place operation: the caller's covariance matrices change. The jitter
is 1e-13 of the diagonal's size, so the value moves by far less than any tolerance; only the side effect is wrong.
"""
EXERCISE = "trace_sqrt_product"
EXPECT = "changed its input"


def trace_sqrt_product(sigma1, sigma2):
    import torch

    for sigma in (sigma1, sigma2):
        sigma.diagonal().add_(1e-13 * float(sigma.diagonal().abs().mean()))
    s1, s2 = sigma1.double(), sigma2.double()
    w, v = torch.linalg.eigh(s1)
    root = (v * w.clamp(min=0).sqrt()) @ v.T
    m = root @ s2 @ root
    return float(torch.linalg.eigvalsh((m + m.T) / 2).clamp(min=0).sqrt().sum())
