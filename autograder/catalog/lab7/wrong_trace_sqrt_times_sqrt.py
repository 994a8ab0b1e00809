"""tr(sqrt(Sigma1) sqrt(Sigma2)) instead of tr((Sigma1 Sigma2)^(1/2)): equal only for commuting matrices."""
EXERCISE = "trace_sqrt_product"
EXPECT = "tr(sqrt(Sigma1) sqrt(Sigma2))"


def _sqrt_psd(s):
    import torch

    w, v = torch.linalg.eigh(s.double())
    return (v * w.clamp(min=0).sqrt()) @ v.T


def trace_sqrt_product(sigma1, sigma2):
    import torch

    return float(torch.trace(_sqrt_psd(sigma1) @ _sqrt_psd(sigma2)))
