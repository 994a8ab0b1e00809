"""The square root of sigma1 sigma2 by Newton-Schulz iterations, stopped once ||A - S S|| / ||A|| < 1e-5.

Approach of photosynthesis-team/piq, piq/fid.py (_sqrtm_newton_schulz, used by its FID), restated: the stopping
rule bounds the error of S S, not of the trace of S, which piq issue #381 shows stays far from converged; the
trace term is then only approximately right.
"""
EXERCISE = "trace_sqrt_product"
EXPECT = "Newton-Schulz"


def trace_sqrt_product(sigma1, sigma2):
    import torch

    a = sigma1.double() @ sigma2.double()
    dim = a.shape[0]
    norm = a.norm(p="fro")
    eye = torch.eye(dim, dtype=torch.float64)
    y, z = a / norm, eye.clone()
    root = y * norm.sqrt()
    for _ in range(100):
        t = 0.5 * (3.0 * eye - z @ y)
        y, z = y @ t, t @ z
        root = y * norm.sqrt()
        if float((a - root @ root).norm(p="fro") / a.norm(p="fro")) < 1e-5:
            break
    return float(torch.trace(root))
