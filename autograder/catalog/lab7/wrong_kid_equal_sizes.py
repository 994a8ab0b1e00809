"""KID estimator that assumes both sets have m samples (divisors m (m - 1) and m^2 throughout).

Approach of Lightning-AI/torchmetrics, src/torchmetrics/image/kid.py (maximum_mean_discrepancy, which reads m from
k_xx only) and of the original code, mbinkowski/MMD-GAN gan/compute_scores.py (_mmd2_and_variance, written for
equal subset sizes), adapted to our signature: right when m = n, wrong for sets of different sizes.
"""
EXERCISE = "kernel_inception_distance"
EXPECT = "assumes both sets have m samples"


def kernel_inception_distance(features1, features2):
    import torch

    x, y = features1.double(), features2.double()
    d = x.shape[1]
    k_xx, k_yy, k_xy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3
    m = k_xx.shape[0]
    kt_xx_sum = (k_xx.sum(dim=-1) - torch.diag(k_xx)).sum()
    kt_yy_sum = (k_yy.sum(dim=-1) - torch.diag(k_yy)).sum()
    value = (kt_xx_sum + kt_yy_sum) / (m * (m - 1)) - 2 * k_xy.sum() / (m ** 2)
    return float(value)
