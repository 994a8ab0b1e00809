"""NumPy/SciPy throughout: explicit probabilities with an epsilon, np.cov, pytorch-fid's sqrtm trace term
(real part, with an epsilon offset when sqrtm fails), the distance clipped at 0 with max, np.polyfit in 1/N, and
KID with a diagonal mask."""
EXERCISES = ["inception_score", "entropy_terms", "feature_statistics", "trace_sqrt_product", "frechet_distance",
             "fid_from_features", "extrapolate_to_infinite_n", "kernel_inception_distance"]


def _np(a):
    import numpy as np

    return a.detach().cpu().numpy().astype(np.float64) if hasattr(a, "detach") else np.asarray(a, dtype=np.float64)


def _softmax(logits):
    import numpy as np

    z = _np(logits)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def inception_score(logits, splits=1):
    import numpy as np

    p = _softmax(logits)
    n = p.shape[0] // splits
    scores = []
    for k in range(splits):
        part = p[k * n:(k + 1) * n]
        py = part.mean(axis=0, keepdims=True)
        kl = part * (np.log(part + 1e-30) - np.log(py + 1e-30))
        scores.append(np.exp(kl.sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))


def entropy_terms(logits):
    import numpy as np

    p = _softmax(logits)
    py = p.mean(axis=0)
    h_y = -np.sum(py * np.log(py + 1e-300))
    h_cond = -np.mean(np.sum(p * np.log(p + 1e-300), axis=1))
    return float(h_y), float(h_cond)


def feature_statistics(features):
    import numpy as np
    import torch

    x = _np(features)
    return torch.from_numpy(x.mean(axis=0)), torch.from_numpy(np.atleast_2d(np.cov(x, rowvar=False)))


def trace_sqrt_product(sigma1, sigma2):
    import numpy as np
    import scipy.linalg

    a, b = _np(sigma1), _np(sigma2)
    covmean = scipy.linalg.sqrtm(a @ b)
    if not np.isfinite(covmean).all():
        offset = np.eye(a.shape[0]) * 1e-12
        covmean = scipy.linalg.sqrtm((a + offset) @ (b + offset))
    return float(np.trace(covmean).real)


def frechet_distance(mu1, sigma1, mu2, sigma2):
    import numpy as np

    diff = _np(mu1) - _np(mu2)
    value = diff @ diff + np.trace(_np(sigma1)) + np.trace(_np(sigma2)) - 2 * trace_sqrt_product(sigma1, sigma2)
    return max(float(value), 0.0)


def fid_from_features(features1, features2, statistics=None, distance=None):
    stats = feature_statistics if statistics is None else statistics
    dist = frechet_distance if distance is None else distance
    m1, s1 = stats(features1)
    m2, s2 = stats(features2)
    return float(dist(m1, s1, m2, s2))


def extrapolate_to_infinite_n(ns, values):
    import numpy as np

    slope, intercept = np.polyfit(1.0 / _np(ns), _np(values), 1)
    return float(intercept), float(slope)


def kernel_inception_distance(features1, features2):
    import numpy as np

    x, y = _np(features1), _np(features2)
    d = x.shape[1]
    kxx, kyy, kxy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3
    mx, my = ~np.eye(len(x), dtype=bool), ~np.eye(len(y), dtype=bool)
    return float(kxx[mx].mean() + kyy[my].mean() - 2 * kxy.mean())
