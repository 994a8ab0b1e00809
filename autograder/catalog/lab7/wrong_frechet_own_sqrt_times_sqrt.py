"""A Fréchet distance that computes its own trace term as tr(sqrt(Sigma1) sqrt(Sigma2)) instead of calling
trace_sqrt_product: right for diagonal (commuting) covariances, wrong for real feature covariances."""
EXERCISE = "frechet_distance"
EXPECT = "tr(sqrt(Sigma1) sqrt(Sigma2))"


def frechet_distance(mu1, sigma1, mu2, sigma2):
    import torch

    def root(s):
        w, v = torch.linalg.eigh(s.double())
        return (v * w.clamp(min=0).sqrt()) @ v.T

    diff = mu1.double() - mu2.double()
    covmean_trace = torch.trace(root(sigma1) @ root(sigma2))
    return float(diff @ diff + torch.trace(sigma1.double()) + torch.trace(sigma2.double()) - 2 * covmean_trace)
