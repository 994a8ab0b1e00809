"""FID with tr(Sigma1 + Sigma2 - (Sigma1 Sigma2)^(1/2)): the factor 2 on the trace term is missing."""
EXERCISE = "frechet_distance"
EXPECT = "factor 2"


def frechet_distance(mu1, sigma1, mu2, sigma2):
    import torch

    diff = mu1.double() - mu2.double()
    return float(diff @ diff + torch.trace(sigma1.double()) + torch.trace(sigma2.double())
                 - trace_sqrt_product(sigma1, sigma2))
