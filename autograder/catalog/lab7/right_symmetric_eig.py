"""torch throughout, another route for every exercise:

- trace term from the symmetric matrix sqrt(S1) S2 sqrt(S1) (sqrt(S1) from eigh, then eigvalsh, clipped): the
  route proposed in mseitzer/pytorch-fid issue #117, reproduced without its unconditional eps * I offset;
- Inception Score through the identity ln IS_s = H(p_s(y)) - mean_i H(p(y|x_i)) per split, with the entropies from
  PyTorch's own torch.distributions.Categorical (which takes 0 log 0 = 0), splits from tensor_split;
- statistics from torch.cov of the transposed features, reshaped to (d, d);
- Fréchet distance from the vector of mean differences and trace sums, clipped at 0;
- extrapolation by the 2 x 2 normal equations, solved with torch.linalg.solve;
- KID by masking the diagonals out of the kernel matrices.
"""
EXERCISES = ["inception_score", "entropy_terms", "feature_statistics", "trace_sqrt_product", "frechet_distance",
             "fid_from_features", "extrapolate_to_infinite_n", "kernel_inception_distance"]

import torch
from torch.distributions import Categorical


def _entropies(logits):
    """H(mean prediction) and mean H(prediction) in nats, float64."""
    lg = torch.as_tensor(logits).to(torch.float64)
    rows = Categorical(logits=lg)
    marginal = Categorical(probs=rows.probs.mean(dim=0))
    return marginal.entropy(), rows.entropy().mean()


def inception_score(logits, splits=1):
    lg = torch.as_tensor(logits).to(torch.float64)
    scores = []
    for part in torch.tensor_split(lg, splits):
        h_y, h_cond = _entropies(part)
        scores.append(torch.exp(h_y - h_cond))
    s = torch.stack(scores)
    return s.mean().item(), (s - s.mean()).pow(2).mean().sqrt().item()


def entropy_terms(logits):
    h_y, h_cond = _entropies(logits)
    return h_y.item(), h_cond.item()


def feature_statistics(features):
    x = torch.as_tensor(features).to(torch.float64)
    d = x.shape[1]
    return x.mean(dim=0), torch.cov(x.T).reshape(d, d)


def _psd_sqrt(s):
    w, v = torch.linalg.eigh(s)
    return v @ torch.diag(w.clamp(min=0).sqrt()) @ v.T


def trace_sqrt_product(sigma1, sigma2):
    a = torch.as_tensor(sigma1).to(torch.float64)
    b = torch.as_tensor(sigma2).to(torch.float64)
    r = _psd_sqrt(a)
    product = r @ b @ r
    product = 0.5 * (product + product.T)
    return torch.linalg.eigvalsh(product).clamp(min=0).sqrt().sum().item()


def frechet_distance(mu1, sigma1, mu2, sigma2):
    dmu = torch.as_tensor(mu1).to(torch.float64) - torch.as_tensor(mu2).to(torch.float64)
    traces = torch.as_tensor(sigma1).to(torch.float64).trace() + torch.as_tensor(sigma2).to(torch.float64).trace()
    return max(torch.dot(dmu, dmu).item() + traces.item() - 2.0 * trace_sqrt_product(sigma1, sigma2), 0.0)


def fid_from_features(features1, features2, statistics=None, distance=None):
    stats = feature_statistics if statistics is None else statistics
    dist = frechet_distance if distance is None else distance
    first, second = stats(features1), stats(features2)
    return float(dist(first[0], first[1], second[0], second[1]))


def extrapolate_to_infinite_n(ns, values):
    u = torch.as_tensor(ns).to(torch.float64).reciprocal()
    v = torch.as_tensor(values).to(torch.float64)
    a = torch.stack([torch.ones_like(u), u], dim=1)
    coef = torch.linalg.solve(a.T @ a, a.T @ v)
    return coef[0].item(), coef[1].item()


def kernel_inception_distance(features1, features2):
    x = torch.as_tensor(features1).to(torch.float64)
    y = torch.as_tensor(features2).to(torch.float64)
    d = x.shape[1]

    def off_diagonal_mean(k):
        mask = ~torch.eye(k.shape[0], dtype=torch.bool)
        return k[mask].mean()

    k_xx = (x @ x.T / d + 1) ** 3
    k_yy = (y @ y.T / d + 1) ** 3
    k_xy = (x @ y.T / d + 1) ** 3
    return (off_diagonal_mean(k_xx) + off_diagonal_mean(k_yy) - 2 * k_xy.mean()).item()
