"""Hidden tests for Lab 7: random inputs, closed forms, an independent library and the common mistakes.

Reference formulas live here (hidden). Every test accepts any correct implementation (float64 or
float32-then-cast where the tolerance allows; eigenvalue- or sqrtm-based trace terms) and is built so a
mistake in one exercise does not cost points in another: the closed-form FID tests use commuting covariances,
where every trace formula a student might call agrees, and the one on full covariances also accepts the value
implied by the submission's own trace_sqrt_product.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ganlab.checks.lab7 import (
    ENTROPY, EXTRAPOLATE, FID_FEATURES, FRECHET, HINT_COMPLEX, HINT_COV_AXIS, HINT_COV_N, HINT_ENTROPY_OF_MEAN,
    HINT_ENTROPY_SWAPPED, HINT_EXTRAP_N, HINT_FACTOR_2, HINT_KID_BIASED, HINT_KL_REVERSED, HINT_LOG2, HINT_LOGITS,
    HINT_MEAN_OF_EXP, HINT_NAN, HINT_NO_MEAN, HINT_SPLITS_IGNORED, HINT_SQRT_SQRT, HINT_STD_UNBIASED,
    HINT_SETS_SWAPPED, INCEPTION_SCORE, KID, STATISTICS, TRACE, call_trace, expect_scalar, pair, scalar, standin_distance,
    standin_statistics,
)
from ganlab.grading.testing import Trusted, expect_close, expect_true, fail, register


def _gen(seed):
    return torch.Generator().manual_seed(seed)


# -- references -------------------------------------------------------------------------------------


def _kl_terms(p):
    """Per-row KL(p(y|x) || p(y)) for probabilities p (N, K), float64, 0 log 0 = 0."""
    p_y = p.mean(0, keepdim=True)
    return (torch.special.xlogy(p, p) - torch.special.xlogy(p, p_y)).sum(1)


def _is(p, splits, *, reverse=False, mean_of_exp=False):
    scores = []
    for chunk in p.chunk(splits):
        if reverse:
            p_y = chunk.mean(0, keepdim=True).expand_as(chunk)
            kl = (torch.special.xlogy(p_y, p_y) - p_y * chunk.log()).sum(1)
        else:
            kl = _kl_terms(chunk)
        scores.append(kl.exp().mean() if mean_of_exp else kl.mean().exp())
    s = torch.stack(scores)
    return float(s.mean()), float(s.std(unbiased=False))


def _sqrt_psd(s):
    w, v = torch.linalg.eigh(s)
    return (v * w.clamp(min=0).sqrt()) @ v.T


def _trace_term(s1, s2):
    r = _sqrt_psd(s1)
    m = r @ s2 @ r
    return float(torch.linalg.eigvalsh((m + m.T) / 2).clamp(min=0).sqrt().sum())


def _random_cov(n, d, seed, scale=1.0):
    g = _gen(seed)
    x = torch.randn(n, d, generator=g, dtype=torch.float64) @ torch.randn(d, d, generator=g, dtype=torch.float64)
    return torch.cov(x.T) * scale / d


def _pytorch_fid_trace(s1, s2):
    """The trace term as pytorch-fid's calculate_frechet_distance computes it (from its FID with equal means)."""
    a, b = s1.numpy(), s2.numpy()
    mu = np.zeros(a.shape[0])
    # pytorch-fid 0.3.0's calculate_frechet_distance, restated (importing the package costs seconds of the
    # grading budget; tests/test_lab7_reference.py compares the reference with the package itself).
    import scipy.linalg

    def calculate_frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
        covmean, _ = scipy.linalg.sqrtm(sigma1.dot(sigma2), disp=False)
        if not np.isfinite(covmean).all():
            offset = np.eye(sigma1.shape[0]) * eps
            covmean = scipy.linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
        covmean = covmean.real
        return float((mu1 - mu2).dot(mu1 - mu2) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))

    fid = calculate_frechet_distance(mu, a, mu, b)
    return (np.trace(a) + np.trace(b) - fid) / 2


def _mmd2(x, y, biased=False):
    d = x.shape[1]
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m, n = len(x), len(y)
    if biased:
        return float(kxx.mean() + kyy.mean() - 2 * kxy.mean())
    return float((kxx.sum() - kxx.diagonal().sum()) / (m * (m - 1)) + (kyy.sum() - kyy.diagonal().sum())
                 / (n * (n - 1)) - 2 * kxy.mean())


# -- Inception Score -------------------------------------------------------------------------------------


@register(INCEPTION_SCORE, points=1, hidden=True)
def inception_score_random_logits(sub):
    """Random logits (200 x 10) with 1 and 5 splits against the definition; common mistakes diagnosed."""
    logits = 3 * torch.randn(200, 10, generator=_gen(71), dtype=torch.float64)
    p = logits.softmax(1)
    for splits in (1, 5):
        out = pair(sub.call("inception_score", logits, splits=splits), "inception_score", "mean, std")
        mean, std = _is(p, splits)
        whole = _is(p, 1)[0]
        expect_scalar(out[0], mean, f"the mean IS of 200 random predictions in {splits} splits", rtol=1e-5,
                      nan_hint=HINT_LOGITS,
                      diagnoses=[(_is(p, splits, reverse=True)[0], HINT_KL_REVERSED),
                                 (_is(p, splits, mean_of_exp=True)[0], HINT_MEAN_OF_EXP),
                                 (whole, HINT_SPLITS_IGNORED)])
        expect_scalar(out[1], std, f"the std of the IS over {splits} splits", rtol=1e-4, atol=1e-7,
                      diagnoses=[(std * math.sqrt(splits / (splits - 1)) if splits > 1 else 1.0, HINT_STD_UNBIASED),
                                 (0.0, HINT_SPLITS_IGNORED)])


@register(INCEPTION_SCORE, points=1, hidden=True)
def inception_score_uses_probabilities(sub):
    """Positive logits: the score must come from softmax probabilities and not change when all logits shift."""
    logits = 0.2 + torch.rand(60, 6, generator=_gen(72), dtype=torch.float64) * 4
    mean, _ = _is(logits.softmax(1), 3)
    as_probs = _is(logits, 3)[0]                                  # logits used as if they were p(y|x)
    normalised = _is(logits / logits.sum(1, keepdim=True), 3)[0]  # logits divided by their sum
    for shift in (0.0, 7.0):
        out = pair(sub.call("inception_score", logits + shift, splits=3), "inception_score", "mean, std")
        expect_scalar(out[0], mean, f"the IS of positive logits shifted by {shift}", rtol=1e-5,
                      nan_hint=HINT_LOGITS,
                      diagnoses=[(as_probs, HINT_LOGITS), (normalised, HINT_LOGITS),
                                 (_is(logits.softmax(1), 1)[0], HINT_SPLITS_IGNORED)])


# -- entropies -----------------------------------------------------------------------------------------------


@register(ENTROPY, points=1, hidden=True)
def entropy_terms_random(sub):
    """Random logits (100 x 7): H(y) and H(y|x) in nats; their difference is ln IS."""
    logits = 2 * torch.randn(100, 7, generator=_gen(73), dtype=torch.float64)
    p = logits.softmax(1)
    p_y = p.mean(0)
    h_y = float(-(p_y * p_y.log()).sum())
    h_cond = float(-(p * p.log()).sum(1).mean())
    expect_true(abs((h_y - h_cond) - math.log(_is(p, 1)[0])) < 1e-9, "internal: identity")
    out = pair(sub.call("entropy_terms", logits), "entropy_terms", "h_y, h_y_given_x")
    expect_scalar(out[0], h_y, "H(y) of 100 random predictions", rtol=1e-5, nan_hint=HINT_LOGITS,
                  diagnoses=[(h_cond, HINT_ENTROPY_SWAPPED), (h_y / math.log(2), HINT_LOG2)])
    expect_scalar(out[1], h_cond, "H(y|x) of 100 random predictions", rtol=1e-5, nan_hint=HINT_LOGITS,
                  diagnoses=[(h_y, HINT_ENTROPY_OF_MEAN), (h_cond / math.log(2), HINT_LOG2)])


# -- statistics ------------------------------------------------------------------------------------------------


@register(STATISTICS, points=1, hidden=True)
def statistics_random(sub):
    """Random features (50 x 7), float64 and float32: mu (d,), unbiased sigma (d, d), symmetric."""
    x = torch.randn(50, 7, generator=_gen(74), dtype=torch.float64) * 3 + 1
    mu = x.mean(0)
    sigma = (x - mu).T @ (x - mu) / 49
    for dtype, rtol in ((torch.float64, 1e-6), (torch.float32, 1e-4)):
        xin = x.to(dtype)
        out = pair(sub.call("feature_statistics", xin), "feature_statistics", "mu, sigma")
        m = torch.as_tensor(out[0]) if not isinstance(out[0], torch.Tensor) else out[0]
        s = torch.as_tensor(out[1]) if not isinstance(out[1], torch.Tensor) else out[1]
        if tuple(m.shape) == (50,) or tuple(s.shape) == (50, 50):
            fail(f"mu has shape {tuple(m.shape)} and sigma {tuple(s.shape)} for 50 samples of 7 features. "
                 f"{HINT_COV_AXIS}", HINT_COV_AXIS)
        expect_close(m, mu, f"mu of {dtype} features", rtol=rtol, atol=1e-6)
        expect_close(s, sigma, f"sigma of {dtype} features", rtol=rtol, atol=1e-6,
                     diagnoses=[(sigma * 49 / 50, HINT_COV_N)])
        expect_true(s.dtype == torch.float64 or dtype == torch.float32,
                    f"sigma should be float64 for float64 features, got {s.dtype}.")


# -- trace term ----------------------------------------------------------------------------------------------------


@register(TRACE, points=1, hidden=True)
def trace_matches_pytorch_fid_64d(sub):
    """Random full-rank 64-d covariances: within 1e-6 relative of pytorch-fid's trace term; symmetric."""
    s1, s2 = _random_cov(500, 64, 75), _random_cov(500, 64, 76, scale=2.0)
    expected = _pytorch_fid_trace(s1, s2)
    wrong = float(torch.trace(_sqrt_psd(s1) @ _sqrt_psd(s2)))
    out = call_trace(sub, s1, s2)
    expect_scalar(out, expected, "trace_sqrt_product on random 64-d covariances", rtol=1e-6,
                  nan_hint=HINT_NAN, diagnoses=[(wrong, HINT_SQRT_SQRT)])
    back = call_trace(sub, s2, s1)
    expect_scalar(back, expected, "trace_sqrt_product with the arguments swapped", rtol=1e-6, nan_hint=HINT_NAN)


@register(TRACE, points=1, hidden=True)
def trace_fewer_samples_than_dimensions(sub):
    """N = 30 < d = 64: singular covariances still give a finite real number (negative eigenvalues clipped)."""
    s1, s2 = _random_cov(30, 64, 77), _random_cov(30, 64, 78)
    expected = _trace_term(s1, s2)
    out = call_trace(sub, s1, s2)
    x = scalar(out, "trace_sqrt_product of two rank-29 covariances (64 x 64)")
    if not math.isfinite(x):
        fail(f"trace_sqrt_product of two rank-29 covariances (64 x 64) is {x}. {HINT_NAN}", HINT_NAN)
    # A general sqrtm of a singular product is accurate to about sqrt(machine epsilon) only.
    expect_scalar(x, expected, "trace_sqrt_product of two rank-29 covariances (64 x 64)", rtol=1e-5,
                  diagnoses=[(float(torch.trace(_sqrt_psd(s1) @ _sqrt_psd(s2))), HINT_SQRT_SQRT)])


@register(TRACE, points=1, hidden=True)
def trace_returns_real_on_near_singular(sub):
    """Covariances of 20 samples in 48-d (rank 19): a real float, not complex, close to the exact value."""
    s1, s2 = _random_cov(20, 48, 79), _random_cov(20, 48, 80, scale=3.0)
    out = call_trace(sub, s1, s2)
    if isinstance(out, torch.Tensor) and out.is_complex():
        fail(f"trace_sqrt_product returned a complex tensor. {HINT_COMPLEX}", HINT_COMPLEX)
    if isinstance(out, np.ndarray) and np.iscomplexobj(out):
        fail(f"trace_sqrt_product returned a complex array. {HINT_COMPLEX}", HINT_COMPLEX)
    expect_scalar(out, _trace_term(s1, s2), "trace_sqrt_product of two rank-19 covariances (48 x 48)",
                  rtol=1e-5, nan_hint=HINT_NAN)


# -- FID from statistics -------------------------------------------------------------------------------------------


def _diag_fid(mu1, a, mu2, b):
    return float(((mu1 - mu2) ** 2).sum() + ((a.sqrt() - b.sqrt()) ** 2).sum())


@register(FRECHET, points=1, hidden=True)
def frechet_closed_forms(sub):
    """1-D Gaussians and 16-d Gaussians with diagonal covariances: ||dmu||^2 + sum (sqrt a - sqrt b)^2."""
    g = _gen(81)
    for (m1, v1, m2, v2) in [(0.5, 2.0, -1.0, 0.3), (3.0, 1e-4, 3.0, 9.0), (-2.0, 5.0, 1.0, 5.0)]:
        expected = (m1 - m2) ** 2 + (math.sqrt(v1) - math.sqrt(v2)) ** 2
        out = sub.call("frechet_distance", torch.tensor([m1], dtype=torch.float64), torch.tensor([[v1]], dtype=torch.float64),
                       torch.tensor([m2], dtype=torch.float64), torch.tensor([[v2]], dtype=torch.float64))
        expect_scalar(out, expected, f"frechet_distance of N({m1}, {v1}) and N({m2}, {v2})", rtol=1e-6, atol=1e-9,
                      nan_hint=HINT_NAN,
                      diagnoses=[(expected + 2 * math.sqrt(v1 * v2) - math.sqrt(v1 * v2), HINT_FACTOR_2),
                                 (expected - (m1 - m2) ** 2, HINT_NO_MEAN)])
    mu1, mu2 = torch.randn(16, generator=g, dtype=torch.float64), torch.randn(16, generator=g, dtype=torch.float64)
    a, b = torch.rand(16, generator=g, dtype=torch.float64) * 3, torch.rand(16, generator=g, dtype=torch.float64) * 3
    expected = _diag_fid(mu1, a, mu2, b)
    out = sub.call("frechet_distance", mu1, torch.diag(a), mu2, torch.diag(b))
    expect_scalar(out, expected, "frechet_distance of 16-d Gaussians with diagonal covariances", rtol=1e-6,
                  nan_hint=HINT_NAN, diagnoses=[(expected + float((a * b).sqrt().sum()), HINT_FACTOR_2)])


def _students_trace(sub, s1, s2):
    """The submission's own trace_sqrt_product(s1, s2), or None when it fails (a stub, a crash)."""
    from ganlab.grading.testing import CheckFailure, SubmissionError

    try:
        value = scalar(call_trace(sub, s1, s2), "trace_sqrt_product")
    except (SubmissionError, CheckFailure):
        return None
    return value if math.isfinite(value) else None


@register(FRECHET, points=1, hidden=True)
def frechet_symmetric_and_nonnegative(sub):
    """Random full-rank 12-d statistics (non-commuting covariances): the value, FID(a, b) = FID(b, a) > 0, 0 for a = b.

    The value is accepted when it is right, or when it is right *given the submission's own* trace_sqrt_product
    (frechet_distance calling a wrong trace_sqrt_product costs the trace exercise's points, not these), so only a
    Fréchet distance that computes its trace term some other, wrong way (tr(sqrt(Sigma1) sqrt(Sigma2)), an
    elementwise square root, ...) fails here.
    """
    s1, s2 = _random_cov(400, 12, 82), _random_cov(400, 12, 83)
    g = _gen(84)
    mu1, mu2 = torch.randn(12, generator=g, dtype=torch.float64), torch.randn(12, generator=g, dtype=torch.float64)
    ab = scalar(sub.call("frechet_distance", mu1, s1, mu2, s2), "frechet_distance(a, b)")
    mean_term = float(((mu1 - mu2) ** 2).sum())
    base = mean_term + float(torch.trace(s1) + torch.trace(s2))
    trace_term = _trace_term(s1, s2)
    expected = base - 2 * trace_term
    own = _students_trace(sub, s1, s2)
    if own is None or not math.isclose(ab, base - 2 * own, rel_tol=1e-6, abs_tol=1e-9):
        sqrt_sqrt = base - 2 * float(torch.trace(_sqrt_psd(s1) @ _sqrt_psd(s2)))
        expect_scalar(ab, expected, "frechet_distance of 12-d Gaussians with full, non-commuting covariances",
                      rtol=1e-6, nan_hint=HINT_NAN,
                      diagnoses=[(sqrt_sqrt, HINT_SQRT_SQRT), (base - trace_term, HINT_FACTOR_2),
                                 (expected - mean_term, HINT_NO_MEAN)])
    ba = scalar(sub.call("frechet_distance", mu2, s2, mu1, s1), "frechet_distance(b, a)")
    expect_true(math.isfinite(ab) and ab > 0, f"frechet_distance(a, b) = {ab} should be positive for different "
                                              "Gaussians.")
    expect_close(ba, ab, "frechet_distance(b, a) compared with frechet_distance(a, b)", rtol=1e-6)
    same = scalar(sub.call("frechet_distance", mu1, s1, mu1, s1), "frechet_distance(a, a)")
    own_same = _students_trace(sub, s1, s1)
    if own_same is None or not math.isclose(same, max(2 * float(torch.trace(s1)) - 2 * own_same, 0.0),
                                            rel_tol=1e-6, abs_tol=1e-7):
        expect_scalar(same, 0.0, "frechet_distance of identical random statistics", atol=1e-7,
                      diagnoses=[(float(torch.trace(s1)), HINT_FACTOR_2)])


# -- FID from features -----------------------------------------------------------------------------------------------
# Only through stand-ins, so a mistake in feature_statistics or frechet_distance costs nothing here.

_STATS = Trusted("ganlab.checks.lab7.standin_statistics")
_DIST = Trusted("ganlab.checks.lab7.standin_distance")


def _compose(x, y):
    return standin_distance(*standin_statistics(x), *standin_statistics(y))


@register(FID_FEATURES, points=1, hidden=True)
def fid_features_composition_random(sub):
    """Stand-ins on random 40 x 6 and 25 x 6 features: distance(*statistics(x), *statistics(y))."""
    g = _gen(85)
    x = torch.randn(40, 6, generator=g, dtype=torch.float64)
    y = torch.randn(25, 6, generator=g, dtype=torch.float64) * 2 + 1
    out = sub.call("fid_from_features", x, y, statistics=_STATS, distance=_DIST)
    expect_scalar(out, _compose(x, y), "fid_from_features(x, y) with stand-in statistics and distance", rtol=1e-6,
                  diagnoses=[(_compose(y, x), HINT_SETS_SWAPPED)])


@register(FID_FEATURES, points=1, hidden=True)
def fid_features_rows_are_samples(sub):
    """Stand-ins on 12 x 30 and 12 x 30 float32 features (N < d): rows are samples; a float comes back."""
    g = _gen(86)
    x = torch.randn(12, 30, generator=g)
    y = torch.randn(12, 30, generator=g) + 0.5
    out = sub.call("fid_from_features", x, y, statistics=_STATS, distance=_DIST)
    expect_scalar(out, _compose(x, y), "fid_from_features on 12 x 30 float32 features with stand-ins", rtol=1e-5,
                  diagnoses=[(_compose(x.T, y.T), HINT_COV_AXIS), (_compose(y, x), HINT_SETS_SWAPPED)])


# -- extrapolation -----------------------------------------------------------------------------------------------------


@register(EXTRAPOLATE, points=1, hidden=True)
def extrapolate_least_squares(sub):
    """Noisy values at 6 sample sizes: the least-squares line in 1/N (intercept, slope); tensors accepted."""
    ns = [500, 1000, 2000, 4000, 8000, 16000]
    g = _gen(87)
    values = [12.0 + 3000.0 / n + 0.05 * float(torch.randn(1, generator=g)) for n in ns]
    a = np.vstack([np.ones(len(ns)), 1 / np.array(ns, dtype=float)]).T
    (c0, c1), *_ = np.linalg.lstsq(a, np.array(values), rcond=None)
    b = np.vstack([np.ones(len(ns)), np.array(ns, dtype=float)]).T
    (w0, w1), *_ = np.linalg.lstsq(b, np.array(values), rcond=None)
    for args in ((ns, values), (torch.tensor(ns), torch.tensor(values, dtype=torch.float64))):
        out = pair(sub.call("extrapolate_to_infinite_n", *args), "extrapolate_to_infinite_n", "value_inf, slope")
        expect_scalar(out[0], float(c0), "value_inf from 6 noisy points", rtol=1e-6,
                      diagnoses=[(float(w0), HINT_EXTRAP_N)])
        expect_scalar(out[1], float(c1), "slope from 6 noisy points", rtol=1e-5,
                      diagnoses=[(float(w1), HINT_EXTRAP_N)])


# -- KID ------------------------------------------------------------------------------------------------------------------


@register(KID, points=1, hidden=True)
def kid_random_unequal_sizes(sub):
    """Random 16-d features, 40 against 30 samples: the unbiased MMD^2 with (x.y / d + 1)^3."""
    g = _gen(88)
    x = torch.randn(40, 16, generator=g, dtype=torch.float64)
    y = torch.randn(30, 16, generator=g, dtype=torch.float64) * 1.3 + 0.2
    out = sub.call("kernel_inception_distance", x, y)
    expect_scalar(out, _mmd2(x, y), "kernel_inception_distance on 40 and 30 random 16-d features", rtol=1e-6,
                  atol=1e-9, diagnoses=[(_mmd2(x, y, biased=True), HINT_KID_BIASED)])


@register(KID, points=1, hidden=True)
def kid_near_zero_for_one_distribution(sub):
    """Ten pairs of samples (100 each) from one 16-d Gaussian: the mean KID is within 3 standard errors of 0."""
    g = _gen(89)
    values, expected, biased = [], [], []
    for i in range(10):
        x = torch.randn(100, 16, generator=g, dtype=torch.float64)
        y = torch.randn(100, 16, generator=g, dtype=torch.float64)
        values.append(scalar(sub.call("kernel_inception_distance", x, y), "kernel_inception_distance(x, y)"))
        expected.append(_mmd2(x, y))
        biased.append(_mmd2(x, y, biased=True))
    v = torch.tensor(values, dtype=torch.float64)
    mean, se = float(v.mean()), float(v.std() / math.sqrt(len(v)))
    if abs(mean - sum(biased) / len(biased)) < 1e-6 * abs(sum(biased)):
        fail(f"the mean KID over 10 pairs of samples of one distribution is {mean:.4g}, not close to 0. "
             f"{HINT_KID_BIASED}", HINT_KID_BIASED)
    expect_true(math.isfinite(mean) and abs(mean) < 3 * se + 1e-12,
                f"the mean KID over 10 pairs of samples of one distribution is {mean:.4g} "
                f"(standard error {se:.2g}); an unbiased estimate averages to 0.")
    expect_close(values, expected, "kernel_inception_distance on 10 pairs of one distribution", rtol=1e-6,
                 atol=1e-9, diagnoses=[(biased, HINT_KID_BIASED)])
