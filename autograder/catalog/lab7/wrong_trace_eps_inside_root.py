"""eps * I added to sigma1 *and* to the symmetric product before its square root, eigenvalues through abs().

Approach of samedii/nicefid, nicefid/fid.py (sqrtm_eig with vals.abs().sqrt(), eps = 1e-8 added to x_cov and to
x_cov_sqrt @ y_cov @ x_cov_sqrt), the pattern crowsonkb/k-diffusion pull request #78 corrects: every eigenvalue
of the product gains eps before its square root, so each zero eigenvalue (a singular covariance) adds sqrt(1e-8)
= 1e-4 to the trace term.
"""
EXERCISE = "trace_sqrt_product"
EXPECT = "regularising offset"


def trace_sqrt_product(sigma1, sigma2):
    import torch

    def sqrtm_eig(a):
        vals, vecs = torch.linalg.eigh(a)
        return vecs @ vals.abs().sqrt().diag_embed() @ vecs.transpose(-2, -1)

    eps = 1e-8
    s1, s2 = sigma1.double(), sigma2.double()
    eps_eye = torch.eye(s1.shape[0], dtype=torch.float64) * eps
    s1_sqrt = sqrtm_eig(s1 + eps_eye)
    return float(torch.trace(sqrtm_eig(s1_sqrt @ s2 @ s1_sqrt + eps_eye)))
