"""The symmetric eigenvalue route without clipping: sqrt of -1e-15 rounding gives NaN when N < d."""
EXERCISE = "trace_sqrt_product"
EXPECT = "clip them at 0"


def trace_sqrt_product(sigma1, sigma2):
    import torch

    w, v = torch.linalg.eigh(sigma1.double())
    root = (v * w.sqrt()) @ v.T
    return float(torch.linalg.eigvalsh(root @ sigma2.double() @ root).sqrt().sum())
