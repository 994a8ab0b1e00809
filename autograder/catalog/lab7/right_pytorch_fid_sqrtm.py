"""Peer code adapted to our signatures, NumPy/SciPy throughout (approaches reproduced, not copied):

- trace and Fréchet distance: mseitzer/pytorch-fid, src/pytorch_fid/fid_score.py (calculate_frechet_distance):
  scipy.linalg.sqrtm of the product, an eps * I offset retry when the root is not finite, a check that the
  imaginary part is negligible, then its real part. sqrtm is called without `disp=` so that 1 x 1 matrices (one
  feature) work, and the eps retry is the only regularisation;
- statistics: the same file's calculate_activation_statistics (np.mean, np.cov with rowvar=False), with
  np.atleast_2d for one feature;
- Inception Score: the machinelearningmastery-style calculate_inception_score (e.g. zosob/inception_score,
  inceptionscore.py): blocks of N // splits rows, KL with log(p + 1e-16), np.mean / np.std of the split scores;
  entropies likewise with scipy.stats.entropy (which takes 0 log 0 = 0);
- KID: the unbiased MMD^2 of mbinkowski/MMD-GAN (gan/compute_scores.py, _mmd2_and_variance) as torch-fidelity
  restates it, with separate divisors for the two set sizes;
- extrapolation: np.linalg.lstsq on the design matrix [1, 1/N].
"""
EXERCISES = ["inception_score", "entropy_terms", "feature_statistics", "trace_sqrt_product", "frechet_distance",
             "fid_from_features", "extrapolate_to_infinite_n", "kernel_inception_distance"]


def _as_np(a):
    import numpy as np

    if hasattr(a, "detach"):
        return a.detach().cpu().double().numpy().copy()
    return np.array(a, dtype=np.float64)


def _softmax_np(logits):
    import scipy.special

    return scipy.special.softmax(_as_np(logits), axis=1)


def inception_score(logits, splits=1):
    import numpy as np

    preds = _softmax_np(logits)
    n_part = preds.shape[0] // splits
    scores = []
    for i in range(splits):
        p_yx = preds[i * n_part:(i + 1) * n_part]
        p_y = np.expand_dims(p_yx.mean(axis=0), 0)
        kl_d = p_yx * (np.log(p_yx + 1e-16) - np.log(p_y + 1e-16))
        scores.append(np.exp(np.mean(kl_d.sum(axis=1))))
    return float(np.mean(scores)), float(np.std(scores))


def entropy_terms(logits):
    import numpy as np
    from scipy.stats import entropy

    preds = _softmax_np(logits)
    h_y = entropy(preds.mean(axis=0))
    h_cond = np.mean([entropy(row) for row in preds])
    return float(h_y), float(h_cond)


def feature_statistics(features):
    import numpy as np
    import torch

    act = _as_np(features)
    mu = np.mean(act, axis=0)
    sigma = np.atleast_2d(np.cov(act, rowvar=False))
    return torch.from_numpy(mu), torch.from_numpy(sigma)


def trace_sqrt_product(sigma1, sigma2, eps=1e-6):
    import numpy as np
    from scipy import linalg

    s1, s2 = _as_np(sigma1), _as_np(sigma2)
    covmean = linalg.sqrtm(s1.dot(s2))
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * eps
        covmean = linalg.sqrtm((s1 + offset).dot(s2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError(f"Imaginary component {np.max(np.abs(covmean.imag))}")
        covmean = covmean.real
    return max(float(np.trace(covmean)), 0.0)


def frechet_distance(mu1, sigma1, mu2, sigma2):
    import numpy as np

    m1, m2 = np.atleast_1d(_as_np(mu1)), np.atleast_1d(_as_np(mu2))
    s1, s2 = np.atleast_2d(_as_np(sigma1)), np.atleast_2d(_as_np(sigma2))
    diff = m1 - m2
    value = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * trace_sqrt_product(sigma1, sigma2)
    return max(float(value), 0.0)


def fid_from_features(features1, features2, statistics=None, distance=None):
    if statistics is None:
        statistics = feature_statistics
    if distance is None:
        distance = frechet_distance
    mu1, sigma1 = statistics(features1)
    mu2, sigma2 = statistics(features2)
    return float(distance(mu1, sigma1, mu2, sigma2))


def extrapolate_to_infinite_n(ns, values):
    import numpy as np

    inv_n = 1.0 / _as_np(ns)
    design = np.stack([np.ones_like(inv_n), inv_n], axis=1)
    (value_inf, slope), *_ = np.linalg.lstsq(design, _as_np(values), rcond=None)
    return float(value_inf), float(slope)


def kernel_inception_distance(features1, features2):
    x, y = _as_np(features1), _as_np(features2)
    m, n, d = x.shape[0], y.shape[0], x.shape[1]
    k_xx = (x @ x.T / d + 1) ** 3
    k_yy = (y @ y.T / d + 1) ** 3
    k_xy = (x @ y.T / d + 1) ** 3
    kt_xx = k_xx.sum() - k_xx.trace()
    kt_yy = k_yy.sum() - k_yy.trace()
    return float(kt_xx / (m * (m - 1)) + kt_yy / (n * (n - 1)) - 2 * k_xy.sum() / (m * n))
