"""Hidden tests for Lab 7: random inputs, closed forms, an independent library and the common mistakes.

Reference formulas live here (hidden). Every test accepts any correct implementation and names the mistake of
a wrong one (every failure carries a hint that does not reveal the inputs). Each exercise is judged on its own:
``frechet_distance`` runs with a stand-in in place of the submission's ``trace_sqrt_product`` (a distance that
computes the exact trace term itself is accepted too), and ``fid_from_features`` with stand-ins in place of
``feature_statistics`` and ``frechet_distance``, so a wrong or crashing helper costs only its own exercise.

Each exercise has a ``*_contract`` test for the docstring's promises beyond the formula: float32 inputs computed
in float64, the smallest sizes, inputs left unchanged, the return types.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ganlab.checks.lab7 import (
    DIST, ENTROPY, EXTRAPOLATE, FID_FEATURES, FRECHET, HINT_APPROXIMATE, HINT_COMPLEX, HINT_COV_0D,
    HINT_COV_AXIS, HINT_COV_N, HINT_DEFAULTS, HINT_ENTROPY_GENERIC, HINT_ENTROPY_OF_MEAN, HINT_ENTROPY_SWAPPED,
    HINT_EXTRAP_ENDPOINTS, HINT_EXTRAP_GENERIC, HINT_EXTRAP_N, HINT_EXTRAP_ORDER, HINT_FACTOR_2,
    HINT_FID_GENERIC, HINT_FRECHET_GENERIC, HINT_GLOBAL_MARGINAL, HINT_IS_GENERIC, HINT_KID_BIASED,
    HINT_KID_EQUAL_SIZES, HINT_KID_GAMMA, HINT_KID_GENERIC, HINT_KL_REVERSED, HINT_LOG2, HINT_LOGITS,
    HINT_MEAN_NOT_SQUARED, HINT_MEAN_OF_EXP, HINT_MUTATES, HINT_NAN, HINT_NOT_CLIPPED, HINT_NO_MEAN,
    HINT_NO_SQRT, HINT_OFFSET, HINT_ONE_PASS, HINT_SATURATED, HINT_SETS_SWAPPED, HINT_SPLITS_IGNORED,
    HINT_SQRT_SQRT, HINT_STATS_GENERIC, HINT_STD_UNBIASED, HINT_STRIDED, HINT_TRACE_CALL, HINT_TRACE_GENERIC,
    INCEPTION_SCORE, KID, OVERSHOOTING_TRACE, STATISTICS, STATS, TRACE, call_fid_defaults, call_trace,
    entropy_pair, expect_float64_tensor, expect_python_float, extrap_pair, frechet_value, is_pair, judge,
    judge_scalar, scalar, standin_distance, standin_statistics, stats_pair,
)
from ganlab.grading.testing import Trusted, fail, register


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _keep(sub, t):
    """A copy of ``t`` that lives in the submission's process (so an in-place change there can be seen)."""
    return sub.trusted("torch.clone", t)


def _expect_unchanged(sub, kept, what):
    """Each (reference, original) pair still holds the original values after the call."""
    for ref, original in kept:
        now = sub.state(ref)["value"]
        if now.shape != original.shape or not torch.equal(now, original):
            fail(f"{what} changed its input tensor. {HINT_MUTATES}", HINT_MUTATES)


# -- references -------------------------------------------------------------------------------------


def _kl_terms(p, p_y=None):
    """Per-row KL(p(y|x) || p(y)) for probabilities p (N, K), float64, 0 log 0 = 0."""
    p_y = p.mean(0, keepdim=True) if p_y is None else p_y.reshape(1, -1)
    return (torch.special.xlogy(p, p) - torch.special.xlogy(p, p_y.expand_as(p))).sum(1)


def _is(p, splits, *, reverse=False, mean_of_exp=False, strided=False, global_marginal=False):
    scores = []
    blocks = [p[i::splits] for i in range(splits)] if strided else p.chunk(splits)
    for chunk in blocks:
        if reverse:
            p_y = chunk.mean(0, keepdim=True).expand_as(chunk)
            kl = (torch.special.xlogy(p_y, p_y) - p_y * chunk.log()).sum(1)
        else:
            kl = _kl_terms(chunk, p.mean(0) if global_marginal else None)
        scores.append(kl.exp().mean() if mean_of_exp else kl.mean().exp())
    s = torch.stack(scores)
    return float(s.mean()), float(s.std(unbiased=False))


def _entropies(p):
    p_y = p.mean(0)
    return float(-torch.special.xlogy(p_y, p_y).sum()), float(-torch.special.xlogy(p, p).sum(1).mean())


def _sqrt_psd(s):
    w, v = torch.linalg.eigh(s)
    return (v * w.clamp(min=0).sqrt()) @ v.T


def _trace_term(s1, s2):
    r = _sqrt_psd(s1.double())
    m = r @ s2.double() @ r
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

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # scipy 1.17 deprecates disp=
        fid = calculate_frechet_distance(mu, a, mu, b)
    return (np.trace(a) + np.trace(b) - fid) / 2


def _fake_trace(s1, s2):
    return math.sqrt(float(torch.trace(s1.double())) * float(torch.trace(s2.double()))) / 4


def _mmd2(x, y, biased=False, equal_sizes=False, d=None):
    x, y = x.double(), y.double()
    d = x.shape[1] if d is None else d
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m, n = len(x), len(y)
    if biased:
        return float(kxx.mean() + kyy.mean() - 2 * kxy.mean())
    if equal_sizes:  # torchmetrics / the original KID code: every divisor from m
        n_y = m
        return float((kxx.sum() - kxx.diagonal().sum()) / (m * (m - 1)) + (kyy.sum() - kyy.diagonal().sum())
                     / (n_y * (n_y - 1)) - 2 * kxy.sum() / (m * m))
    return float((kxx.sum() - kxx.diagonal().sum()) / (m * (m - 1)) + (kyy.sum() - kyy.diagonal().sum())
                 / (n * (n - 1)) - 2 * kxy.mean())


# -- Inception Score -------------------------------------------------------------------------------------


def _is_diagnoses(p, splits):
    out = [(_is(p, splits, reverse=True)[0], HINT_KL_REVERSED),
           (_is(p, splits, mean_of_exp=True)[0], HINT_MEAN_OF_EXP)]
    if splits > 1:
        out += [(_is(p, 1)[0], HINT_SPLITS_IGNORED), (_is(p, splits, strided=True)[0], HINT_STRIDED),
                (_is(p, splits, global_marginal=True)[0], HINT_GLOBAL_MARGINAL)]
    return out


@register(INCEPTION_SCORE, points=1, hidden=True)
def inception_score_random_logits(sub):
    """Random logits (200 x 10) with 1, 5 and 8 splits against the definition; common mistakes diagnosed."""
    logits = 3 * torch.randn(200, 10, generator=_gen(71), dtype=torch.float64)
    p = logits.softmax(1)
    for splits in (1, 5, 8):
        out = is_pair(sub, logits, splits)
        mean, std = _is(p, splits)
        judge_scalar(out[0], mean, f"the mean IS of random predictions in {splits} splits", HINT_IS_GENERIC,
                     rtol=1e-7, nan_hint=HINT_LOGITS, diagnoses=_is_diagnoses(p, splits))
        std_diag = [(0.0, HINT_SPLITS_IGNORED)] if splits > 1 else []
        if splits > 1:
            std_diag = [(std * math.sqrt(splits / (splits - 1)), HINT_STD_UNBIASED),
                        (_is(p, splits, strided=True)[1], HINT_STRIDED)] + std_diag
        judge_scalar(out[1], std, f"the std of the IS over {splits} splits", HINT_IS_GENERIC, rtol=1e-6, atol=1e-9,
                     nan_hint=HINT_STD_UNBIASED, diagnoses=std_diag)


@register(INCEPTION_SCORE, points=1, hidden=True)
def inception_score_uses_probabilities(sub):
    """Positive logits: the score must come from softmax probabilities and not change when all logits shift."""
    logits = 0.2 + torch.rand(60, 6, generator=_gen(72), dtype=torch.float64) * 4
    mean, _ = _is(logits.softmax(1), 3)
    as_probs = _is(logits, 3)[0]                                  # logits used as if they were p(y|x)
    normalised = _is(logits / logits.sum(1, keepdim=True), 3)[0]  # logits divided by their sum
    for shift in (0.0, 7.0):
        out = is_pair(sub, logits + shift, 3)
        judge_scalar(out[0], mean, f"the IS of positive logits shifted by {shift}", HINT_IS_GENERIC, rtol=1e-7,
                     nan_hint=HINT_LOGITS,
                     diagnoses=[(as_probs, HINT_LOGITS), (normalised, HINT_LOGITS)]
                     + _is_diagnoses(logits.softmax(1), 3))


@register(INCEPTION_SCORE, points=1, hidden=True)
def inception_score_saturated_random(sub):
    """Random logits scaled to hundreds (exact zeros in p(y|x), some classes never predicted); one row per split."""
    g = _gen(90)
    logits = 400 * torch.randn(60, 8, generator=g, dtype=torch.float64)
    logits[:, 6:] -= 5000                                          # classes 6, 7: probability exactly 0 everywhere
    p = logits.softmax(1)
    mean, std = _is(p, 3)
    out = is_pair(sub, logits, 3)
    judge_scalar(out[0], mean, "the mean IS of saturated logits", HINT_SATURATED, rtol=1e-7, nan_hint=HINT_SATURATED)
    judge_scalar(out[1], std, "the std of the IS of saturated logits", HINT_SATURATED, rtol=1e-6, atol=1e-9,
                 nan_hint=HINT_SATURATED)
    # splits = N: every block is one row, whose prediction is its own marginal: each score is 1
    small = 2 * torch.randn(5, 4, generator=g, dtype=torch.float64)
    out = is_pair(sub, small, 5)
    judge_scalar(out[0], 1.0, "the mean IS with one row per split", HINT_IS_GENERIC, nan_hint=HINT_LOGITS,
                 diagnoses=[(_is(small.softmax(1), 5, global_marginal=True)[0], HINT_GLOBAL_MARGINAL),
                            (_is(small.softmax(1), 1)[0], HINT_SPLITS_IGNORED)])
    judge_scalar(out[1], 0.0, "the std with one row per split", HINT_IS_GENERIC, nan_hint=HINT_STD_UNBIASED)


@register(INCEPTION_SCORE, points=1, hidden=True)
def inception_score_contract(sub):
    """float32 logits are scored in float64; the logits are left unchanged; the results are Python floats."""
    logits = (2.5 * torch.randn(120, 10, generator=_gen(91))).float()
    p = logits.double().softmax(1)
    mean, std = _is(p, 4)
    kept = _keep(sub, logits)
    out = is_pair(sub, kept, 4)
    _expect_unchanged(sub, [(kept, logits)], "inception_score")
    judge_scalar(out[0], mean, "the mean IS of float32 logits in 4 splits", HINT_IS_GENERIC, rtol=1e-9, float64=True,
                 nan_hint=HINT_LOGITS, diagnoses=_is_diagnoses(p, 4))
    judge_scalar(out[1], std, "the std of the IS of float32 logits", HINT_IS_GENERIC, rtol=1e-8, atol=1e-12,
                 float64=True,
                 nan_hint=HINT_STD_UNBIASED, diagnoses=[(std * math.sqrt(4 / 3), HINT_STD_UNBIASED)])
    expect_python_float(out[0], "the mean IS")
    expect_python_float(out[1], "the std of the IS")


# -- entropies -----------------------------------------------------------------------------------------------


@register(ENTROPY, points=1, hidden=True)
def entropy_terms_random(sub):
    """Random logits (100 x 7): H(y) and H(y|x) in nats; their difference is ln IS."""
    logits = 2 * torch.randn(100, 7, generator=_gen(73), dtype=torch.float64)
    p = logits.softmax(1)
    h_y, h_cond = _entropies(p)
    out = entropy_pair(sub, logits)
    judge_scalar(out[0], h_y, "H(y) of random predictions", HINT_ENTROPY_GENERIC, rtol=1e-7, nan_hint=HINT_LOGITS,
                 diagnoses=[(h_cond, HINT_ENTROPY_SWAPPED), (h_y / math.log(2), HINT_LOG2)])
    judge_scalar(out[1], h_cond, "H(y|x) of random predictions", HINT_ENTROPY_GENERIC, rtol=1e-7,
                 nan_hint=HINT_LOGITS, diagnoses=[(h_y, HINT_ENTROPY_OF_MEAN), (h_cond / math.log(2), HINT_LOG2)])


@register(ENTROPY, points=1, hidden=True)
def entropy_terms_saturated_random(sub):
    """Random logits scaled to hundreds: exact zeros in p(y|x) and in p(y) count as 0 ln 0 = 0."""
    logits = 300 * torch.randn(40, 6, generator=_gen(92), dtype=torch.float64)
    logits[:, 0] -= 5000                                           # class 0 never predicted: p(y = 0) = 0
    h_y, h_cond = _entropies(logits.softmax(1))
    out = entropy_pair(sub, logits)
    judge_scalar(out[0], h_y, "H(y) of saturated logits", HINT_SATURATED, rtol=1e-7, nan_hint=HINT_SATURATED,
                 diagnoses=[(h_cond, HINT_ENTROPY_SWAPPED), (h_y / math.log(2), HINT_LOG2)])
    judge_scalar(out[1], h_cond, "H(y|x) of saturated logits", HINT_SATURATED, rtol=1e-7, atol=1e-9,
                 nan_hint=HINT_SATURATED, diagnoses=[(h_y, HINT_ENTROPY_OF_MEAN)])


@register(ENTROPY, points=1, hidden=True)
def entropy_terms_contract(sub):
    """float32 logits are handled in float64; the logits are left unchanged; two classes (the smallest K)."""
    logits = (1.5 * torch.randn(64, 2, generator=_gen(93))).float()
    h_y, h_cond = _entropies(logits.double().softmax(1))
    kept = _keep(sub, logits)
    out = entropy_pair(sub, kept)
    _expect_unchanged(sub, [(kept, logits)], "entropy_terms")
    judge_scalar(out[0], h_y, "H(y) of float32 logits over 2 classes", HINT_ENTROPY_GENERIC, rtol=1e-9, float64=True,
                 nan_hint=HINT_LOGITS, diagnoses=[(h_cond, HINT_ENTROPY_SWAPPED), (h_y / math.log(2), HINT_LOG2)])
    judge_scalar(out[1], h_cond, "H(y|x) of float32 logits over 2 classes", HINT_ENTROPY_GENERIC, rtol=1e-9,
                 float64=True,
                 nan_hint=HINT_LOGITS, diagnoses=[(h_y, HINT_ENTROPY_OF_MEAN), (h_cond / math.log(2), HINT_LOG2)])


# -- statistics ------------------------------------------------------------------------------------------------


def _stats(x):
    x = x.double()
    mu = x.mean(0)
    return mu, (x - mu).T @ (x - mu) / (x.shape[0] - 1)


def _judge_stats(sub, features, what, rtol=1e-9, hint=HINT_STATS_GENERIC, loose=1e-4):
    mu, sigma = _stats(features)
    n, d = features.shape
    out = stats_pair(sub, features)
    m, s = (as_tensor(v, what) for v in out)
    if tuple(m.shape) == (n,) and n != d or tuple(s.shape) == (n, n) and n != d:
        fail(f"mu has shape {tuple(m.shape)} and sigma {tuple(s.shape)} for {what}. {HINT_COV_AXIS}", HINT_COV_AXIS)
    if d == 1 and s.shape == ():
        fail(f"sigma of one feature has shape (), expected (1, 1). {HINT_COV_0D}", HINT_COV_0D)
    judge(m, mu, f"mu of {what}", hint, rtol=rtol, atol=1e-12, loose=loose, float64=True)
    judge(s, sigma, f"sigma of {what}", hint, rtol=rtol, atol=1e-12, loose=loose, float64=True,
          diagnoses=[(sigma * (n - 1) / n, HINT_COV_N)])
    expect_float64_tensor(out[0], f"mu of {what}")
    expect_float64_tensor(out[1], f"sigma of {what}")
    return out


def as_tensor(value, what):
    from ganlab.grading.testing import as_float_tensor

    try:
        return as_float_tensor(value, what)
    except Exception:  # noqa: BLE001 - judged with a hint below
        fail(f"{what}: mu and sigma should be tensors, got {type(value).__name__}. {HINT_STATS_GENERIC}",
             HINT_STATS_GENERIC)


@register(STATISTICS, points=1, hidden=True)
def statistics_random(sub):
    """Random features (50 x 7), float64: mu (d,), unbiased sigma (d, d), float64 tensors."""
    x = torch.randn(50, 7, generator=_gen(74), dtype=torch.float64) * 3 + 1
    _judge_stats(sub, x, "50 random 7-d features")


@register(STATISTICS, points=1, hidden=True)
def statistics_small_sizes(sub):
    """The smallest sizes: N = 2 samples; fewer samples than features (N = 3, d = 5); one feature."""
    g = _gen(94)
    _judge_stats(sub, torch.randn(2, 4, generator=g, dtype=torch.float64), "2 samples of 4 features")
    _judge_stats(sub, torch.randn(3, 5, generator=g, dtype=torch.float64) + 2, "3 samples of 5 features")
    _judge_stats(sub, torch.randn(6, 1, generator=g, dtype=torch.float64), "6 samples of 1 feature")


HINT_STATS_PRECISION = ("Digits were lost on float32 features with a large mean: convert to float64 before "
                        "any arithmetic, and subtract the mean before multiplying. " + HINT_ONE_PASS)


@register(STATISTICS, points=1, hidden=True)
def statistics_contract(sub):
    """float32 features with a large mean (1000) are handled in float64; the features are left unchanged."""
    x = (torch.randn(400, 6, generator=_gen(95), dtype=torch.float64) + 1000).float()
    kept = _keep(sub, x)
    mu, sigma = _stats(x)
    out = stats_pair(sub, kept)
    _expect_unchanged(sub, [(kept, x)], "feature_statistics")
    m, s = (as_tensor(v, "float32 features") for v in out)
    judge(s, sigma, "sigma of float32 features with mean 1000", HINT_STATS_PRECISION, rtol=1e-7, atol=1e-12,
          float64=True,
          loose=1e-3, diagnoses=[(sigma * 399 / 400, HINT_COV_N)])
    judge(m, mu, "mu of float32 features with mean 1000", HINT_STATS_PRECISION, rtol=1e-10, loose=1e-5, float64=True)
    expect_float64_tensor(out[0], "mu of float32 features")
    expect_float64_tensor(out[1], "sigma of float32 features")


# -- trace term ----------------------------------------------------------------------------------------------------


def _trace_diagnoses(s1, s2):
    offset = torch.eye(s1.shape[0], dtype=torch.float64) * 1e-6           # pytorch-fid's eps, always added
    small = offset / 100                                                   # eps = 1e-8 in and around the root
    r = _sqrt_psd(s1 + small)
    inside = float(torch.linalg.eigvalsh(r @ s2 @ r + small).abs().sqrt().sum())
    return [(float(torch.trace(_sqrt_psd(s1) @ _sqrt_psd(s2))), HINT_SQRT_SQRT),
            (float(torch.trace(s1 @ s2)), HINT_NO_SQRT), (_trace_term(s1 + offset, s2 + offset), HINT_OFFSET),
            (inside, HINT_OFFSET)]


@register(TRACE, points=1, hidden=True)
def trace_matches_pytorch_fid_64d(sub):
    """Random full-rank 64-d covariances: within 1e-8 relative of pytorch-fid's trace term; symmetric."""
    s1, s2 = _random_cov(500, 64, 75), _random_cov(500, 64, 76, scale=2.0)
    expected = _pytorch_fid_trace(s1, s2)
    out = call_trace(sub, s1, s2)
    judge_scalar(out, expected, "trace_sqrt_product on random 64-d covariances", HINT_TRACE_GENERIC, rtol=1e-8,
                 nan_hint=HINT_NAN, diagnoses=_trace_diagnoses(s1, s2), float64=HINT_APPROXIMATE, loose=1e-2)
    back = call_trace(sub, s2, s1)
    judge_scalar(back, expected, "trace_sqrt_product with the arguments swapped", HINT_TRACE_GENERIC, rtol=1e-8,
                 nan_hint=HINT_NAN)


@register(TRACE, points=1, hidden=True)
def trace_fewer_samples_than_dimensions(sub):
    """N = 30 < d = 64: singular covariances still give a finite real number (negative eigenvalues clipped)."""
    s1, s2 = _random_cov(30, 64, 77), _random_cov(30, 64, 78)
    expected = _trace_term(s1, s2)
    out = call_trace(sub, s1, s2)
    # A general sqrtm of a singular product is accurate to about sqrt(machine epsilon) only.
    judge_scalar(out, expected, "trace_sqrt_product of two rank-29 covariances (64 x 64)", HINT_TRACE_GENERIC,
                 rtol=1e-5, nan_hint=HINT_NAN, float64=False, diagnoses=_trace_diagnoses(s1, s2))


@register(TRACE, points=1, hidden=True)
def trace_returns_real_on_near_singular(sub):
    """Covariances of 20 samples in 48-d (rank 19): a real float, not complex, close to the exact value."""
    s1, s2 = _random_cov(20, 48, 79), _random_cov(20, 48, 80, scale=3.0)
    out = call_trace(sub, s1, s2)
    if isinstance(out, torch.Tensor) and out.is_complex():
        fail(f"trace_sqrt_product returned a complex tensor. {HINT_COMPLEX}", HINT_COMPLEX)
    if isinstance(out, np.ndarray) and np.iscomplexobj(out):
        fail(f"trace_sqrt_product returned a complex array. {HINT_COMPLEX}", HINT_COMPLEX)
    judge_scalar(out, _trace_term(s1, s2), "trace_sqrt_product of two rank-19 covariances (48 x 48)",
                 HINT_TRACE_GENERIC, rtol=1e-5, nan_hint=HINT_NAN, float64=False)


@register(TRACE, points=1, hidden=True)
def trace_small_and_extreme(sub):
    """One feature (1 x 1), a zero covariance, a dead feature, tiny covariances (1e-9), where an eps offset shows."""
    g = _gen(96)
    a, b = 0.1 + 3 * torch.rand(2, generator=g, dtype=torch.float64)
    out = call_trace(sub, a.reshape(1, 1), b.reshape(1, 1))
    judge_scalar(out, math.sqrt(float(a * b)), "trace_sqrt_product of 1 x 1 covariances", HINT_TRACE_GENERIC,
                 rtol=1e-10, nan_hint=HINT_NAN, diagnoses=[(float(a * b), HINT_NO_SQRT),
                                                           (math.sqrt(float((a + 1e-6) * (b + 1e-6))), HINT_OFFSET)])
    s = _random_cov(50, 6, 97)
    out = call_trace(sub, torch.zeros(6, 6, dtype=torch.float64), s)
    judge_scalar(out, 0.0, "trace_sqrt_product with a zero covariance", HINT_TRACE_GENERIC, atol=1e-7,
                 nan_hint=HINT_NAN)
    # a dead feature (constant over the samples, as a ReLU unit that never fires): its row and column are 0
    x = torch.randn(30, 6, generator=g, dtype=torch.float64)
    x[:, 0] = 0.5
    dead = torch.cov(x.T)
    judge_scalar(call_trace(sub, dead, s), _trace_term(dead, s), "trace_sqrt_product with a dead feature",
                 HINT_TRACE_GENERIC, rtol=1e-8, nan_hint=HINT_NAN, diagnoses=_trace_diagnoses(dead, s))
    scale = 1e-9
    s1, s2 = _random_cov(50, 6, 98, scale=scale), _random_cov(50, 6, 99, scale=scale)
    offset = torch.eye(6, dtype=torch.float64) * 1e-6                    # pytorch-fid's eps
    diagnoses = [(_trace_term(s1 + offset, s2 + offset), HINT_OFFSET)] + _trace_diagnoses(s1, s2)
    x = scalar(call_trace(sub, s1, s2), "trace_sqrt_product of covariances of size 1e-9", HINT_TRACE_GENERIC)
    # judged in units of the scale, so that the tolerances (and the diagnoses') mean what they say
    judge(x / scale, _trace_term(s1, s2) / scale, "trace_sqrt_product of covariances of size 1e-9 (in units of "
          "1e-9)", HINT_TRACE_GENERIC, rtol=1e-8, nan_hint=HINT_NAN,
          diagnoses=[(value / scale, hint) for value, hint in diagnoses])


@register(TRACE, points=1, hidden=True)
def trace_contract(sub):
    """float32 covariances are handled in float64; both inputs are left unchanged; a Python float comes back."""
    s1, s2 = _random_cov(200, 10, 100).float(), _random_cov(200, 10, 101, scale=5.0).float()
    expected = _trace_term(s1.double(), s2.double())
    diagnoses = _trace_diagnoses(s1.double(), s2.double())
    k1, k2 = _keep(sub, s1.double()), _keep(sub, s2.double())
    out = call_trace(sub, k1, k2)
    _expect_unchanged(sub, [(k1, s1.double()), (k2, s2.double())], "trace_sqrt_product")
    judge_scalar(out, expected, "trace_sqrt_product of float64 covariances", HINT_TRACE_GENERIC, rtol=1e-9,
                 nan_hint=HINT_NAN, diagnoses=diagnoses, float64=HINT_APPROXIMATE, loose=1e-2)
    expect_python_float(out, "trace_sqrt_product")
    out = call_trace(sub, s1, s2)
    judge_scalar(out, expected, "trace_sqrt_product of the same covariances in float32", HINT_TRACE_GENERIC,
                 rtol=1e-9, nan_hint=HINT_NAN, diagnoses=diagnoses[:2], float64=True)


# -- FID from statistics -------------------------------------------------------------------------------------------


def _judge_frechet_random(sub, mu1, s1, mu2, s2, what, rtol=1e-9):
    """The distance run with the fake trace term: right if it uses it, or if it computes the exact value itself."""
    return _judge_frechet_out(frechet_value(sub, mu1, s1, mu2, s2), mu1, s1, mu2, s2, what, rtol)


def _judge_frechet_out(out, mu1, s1, mu2, s2, what, rtol=1e-9, float64=False):
    x = scalar(out, what, HINT_FRECHET_GENERIC)
    mean_term = float(((mu1.double() - mu2.double()) ** 2).sum())
    base = mean_term + float(torch.trace(s1.double()) + torch.trace(s2.double()))
    fake, exact_term = _fake_trace(s1, s2), _trace_term(s1, s2)
    if math.isfinite(x) and math.isclose(x, base - 2 * fake, rel_tol=rtol, abs_tol=1e-12):
        return x
    diagnoses = []
    for term in (fake, exact_term):
        diagnoses += [(base - term, HINT_FACTOR_2), (base - 2 * term - mean_term, HINT_NO_MEAN),
                      (base - 2 * term - mean_term + math.sqrt(mean_term), HINT_MEAN_NOT_SQUARED)]
    diagnoses += [(base - 2 * float(torch.trace(_sqrt_psd(s1.double()) @ _sqrt_psd(s2.double()))), HINT_SQRT_SQRT),
                  (base - 2 * _fake_trace(s1, s1), HINT_TRACE_CALL),
                  (base - 2 * _fake_trace(s2, s2), HINT_TRACE_CALL)]
    judge(x, base - 2 * exact_term, what, HINT_FRECHET_GENERIC, rtol=rtol, atol=1e-12, nan_hint=HINT_NAN,
          diagnoses=diagnoses, float64=float64)
    return x


@register(FRECHET, points=1, hidden=True)
def frechet_closed_forms(sub):
    """1-D Gaussians and 16-d Gaussians with diagonal covariances (with the stand-in or the exact trace term)."""
    g = _gen(81)
    for (m1, v1, m2, v2) in [(0.5, 2.0, -1.0, 0.3), (3.0, 1e-4, 3.0, 9.0), (-2.0, 5.0, 1.0, 5.0)]:
        t = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
        _judge_frechet_random(sub, t([m1]), t([[v1]]), t([m2]), t([[v2]]), "frechet_distance of two 1-D Gaussians")
    mu1, mu2 = torch.randn(16, generator=g, dtype=torch.float64), torch.randn(16, generator=g, dtype=torch.float64)
    a, b = torch.rand(16, generator=g, dtype=torch.float64) * 3, torch.rand(16, generator=g, dtype=torch.float64) * 3
    _judge_frechet_random(sub, mu1, torch.diag(a), mu2, torch.diag(b),
                          "frechet_distance of 16-d Gaussians with diagonal covariances")


@register(FRECHET, points=1, hidden=True)
def frechet_symmetric_and_nonnegative(sub):
    """Random full-rank 12-d statistics: the value both ways round; identical statistics give exactly 0 (clipped)."""
    s1, s2 = _random_cov(400, 12, 82), _random_cov(400, 12, 83)
    g = _gen(84)
    mu1, mu2 = torch.randn(12, generator=g, dtype=torch.float64), torch.randn(12, generator=g, dtype=torch.float64)
    ab = _judge_frechet_random(sub, mu1, s1, mu2, s2, "frechet_distance of 12-d Gaussians (a, b)")
    ba = _judge_frechet_random(sub, mu2, s2, mu1, s1, "frechet_distance of 12-d Gaussians (b, a)")
    judge(ba, ab, "frechet_distance(b, a) compared with frechet_distance(a, b)", HINT_FRECHET_GENERIC, rtol=1e-9)
    out = frechet_value(sub, mu1, s1, mu1, s1, trace=OVERSHOOTING_TRACE)
    x = scalar(out, "frechet_distance of identical random statistics", HINT_FRECHET_GENERIC)
    if math.isfinite(x) and -1e-6 < x < 0:
        fail(f"frechet_distance of identical statistics is negative ({x:.2g}). {HINT_NOT_CLIPPED}", HINT_NOT_CLIPPED)
    judge(x, 0.0, "frechet_distance of identical random statistics", HINT_FRECHET_GENERIC, atol=1e-8,
          nan_hint=HINT_NAN, diagnoses=[(float(torch.trace(s1)), HINT_FACTOR_2)])


@register(FRECHET, points=1, hidden=True)
def frechet_contract(sub):
    """float32 statistics are handled in float64; one feature; the inputs are left unchanged; a Python float."""
    g = _gen(102)
    mu1 = (torch.randn(8, generator=g, dtype=torch.float64) * 0.5).float()   # small: the traces dominate the value
    mu2 = (torch.randn(8, generator=g, dtype=torch.float64) * 0.5).float()
    s1, s2 = _random_cov(100, 8, 103).float(), _random_cov(100, 8, 104, scale=2.0).float()
    kept = [_keep(sub, t) for t in (mu1, s1, mu2, s2)]
    out = frechet_value(sub, *kept)
    _expect_unchanged(sub, list(zip(kept, (mu1, s1, mu2, s2))), "frechet_distance")
    _judge_frechet_out(out, mu1, s1, mu2, s2, "frechet_distance of float32 statistics", rtol=1e-10,
                       float64=True)
    expect_python_float(out, "frechet_distance")
    one = [torch.tensor(v, dtype=torch.float64) for v in ([0.7], [[2.5]], [-0.4], [[0.6]])]
    _judge_frechet_random(sub, *one, "frechet_distance of 1-D Gaussians")


# -- FID from features -----------------------------------------------------------------------------------------------
# Only through stand-ins, so a mistake in feature_statistics or frechet_distance costs nothing here.


def _compose(x, y):
    return standin_distance(*standin_statistics(x), *standin_statistics(y))


@register(FID_FEATURES, points=1, hidden=True)
def fid_features_composition_random(sub):
    """Stand-ins on random 40 x 6 and 25 x 6 features: distance(*statistics(x), *statistics(y))."""
    g = _gen(85)
    x = torch.randn(40, 6, generator=g, dtype=torch.float64)
    y = torch.randn(25, 6, generator=g, dtype=torch.float64) * 2 + 1
    out = sub.call("fid_from_features", x, y, statistics=STATS, distance=DIST)
    judge_scalar(out, _compose(x, y), "fid_from_features(x, y) with stand-in statistics and distance",
                 HINT_FID_GENERIC, rtol=1e-9, diagnoses=[(_compose(y, x), HINT_SETS_SWAPPED)])


@register(FID_FEATURES, points=1, hidden=True)
def fid_features_rows_are_samples(sub):
    """Stand-ins on 12 x 30 and 12 x 30 float32 features (N < d): rows are samples; a float comes back."""
    g = _gen(86)
    x = torch.randn(12, 30, generator=g)
    y = torch.randn(12, 30, generator=g) + 0.5
    out = sub.call("fid_from_features", x, y, statistics=STATS, distance=DIST)
    judge_scalar(out, _compose(x, y), "fid_from_features on 12 x 30 float32 features with stand-ins",
                 HINT_FID_GENERIC, rtol=1e-6, float64=False,
                 diagnoses=[(_compose(x.T, y.T), HINT_COV_AXIS), (_compose(y, x), HINT_SETS_SWAPPED)])


@register(FID_FEATURES, points=1, hidden=True)
def fid_features_contract(sub):
    """Defaults call the submission's functions by name; a tensor distance still gives a float; inputs kept."""
    g = _gen(105)
    x = torch.randn(9, 4, generator=g, dtype=torch.float64)
    y = torch.randn(14, 4, generator=g, dtype=torch.float64) * 0.5 - 1
    replaced = {"feature_statistics": STATS, "frechet_distance": DIST}
    kx, ky = _keep(sub, x), _keep(sub, y)
    (mu1, s1), (mu2, s2) = _stats(x), _stats(y)
    real_fid = float(((mu1 - mu2) ** 2).sum() + torch.trace(s1) + torch.trace(s2)) - 2 * _trace_term(s1, s2)
    for kwargs in ({}, {"statistics": STATS}, {"distance": DIST}):
        out = call_fid_defaults(sub, replaced, kx, ky, **kwargs)
        value = scalar(out, "fid_from_features with default statistics or distance", HINT_DEFAULTS)
        if not kwargs and math.isclose(value, real_fid, rel_tol=1e-6):  # computed the real FID itself: accepted
            continue
        judge(value, _compose(x, y), "fid_from_features with default statistics or distance", HINT_DEFAULTS,
              rtol=1e-9, diagnoses=[(_compose(y, x), HINT_SETS_SWAPPED)])
    _expect_unchanged(sub, [(kx, x), (ky, y)], "fid_from_features")
    out = sub.call("fid_from_features", x, y, statistics=STATS,
                   distance=Trusted("ganlab.grading.standins.lab7_tensor_distance"))
    judge_scalar(out, _compose(x, y), "fid_from_features with a distance that returns a tensor", HINT_FID_GENERIC,
                 rtol=1e-9, diagnoses=[(_compose(y, x), HINT_SETS_SWAPPED)])
    expect_python_float(out, "fid_from_features with a distance that returns a 0-d tensor")


# -- extrapolation -------------------------------------------------------------------------------------------------


def _fits(ns, values):
    """(intercept, slope) against 1/N, against N, and through the first and last points."""
    n = np.asarray(ns, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    a = np.vstack([np.ones(len(n)), 1 / n]).T
    (c0, c1), *_ = np.linalg.lstsq(a, v, rcond=None)
    b = np.vstack([np.ones(len(n)), n]).T
    (w0, w1), *_ = np.linalg.lstsq(b, v, rcond=None)
    e1 = (v[0] - v[-1]) / (1 / n[0] - 1 / n[-1])
    e0 = v[-1] - e1 / n[-1]
    return (float(c0), float(c1)), (float(w0), float(w1)), (float(e0), float(e1))


def _judge_fit(out, ns, values, what, rtol=1e-5, float64=False):
    """Least squares against 1/N. The tolerance admits the normal equations and float32 arithmetic (both lose
    digits to the conditioning of [1, 1/N]; the contract promises no dtype here)."""
    (c0, c1), (w0, w1), (e0, e1) = _fits(ns, values)
    if len(ns) == 2:  # the line through the two points is the least-squares line: no "endpoints" mistake
        e0, e1 = math.nan, math.nan
    judge_scalar(out[0], c0, f"value_inf {what}", HINT_EXTRAP_GENERIC, rtol=rtol, atol=1e-12,
                 diagnoses=[(w0, HINT_EXTRAP_N), (e0, HINT_EXTRAP_ENDPOINTS), (c1, HINT_EXTRAP_ORDER)],
                 float64=float64)
    judge_scalar(out[1], c1, f"slope {what}", HINT_EXTRAP_GENERIC, rtol=rtol, atol=1e-9,
                 diagnoses=[(w1, HINT_EXTRAP_N), (e1, HINT_EXTRAP_ENDPOINTS), (c0, HINT_EXTRAP_ORDER)],
                 float64=float64)


@register(EXTRAPOLATE, points=1, hidden=True)
def extrapolate_fit_on_random_data(sub):
    """Noisy values at 6 sample sizes: the least-squares line in 1/N (intercept, slope); tensors accepted."""
    ns = [500, 1000, 2000, 4000, 8000, 16000]
    g = _gen(87)
    values = [12.0 + 3000.0 / n + 0.05 * float(torch.randn(1, generator=g)) for n in ns]
    for args in ((ns, values), (torch.tensor(ns), torch.tensor(values, dtype=torch.float64))):
        _judge_fit(extrap_pair(sub, *args), ns, values, "from 6 noisy points")


@register(EXTRAPOLATE, points=1, hidden=True)
def extrapolate_contract(sub):
    """Two points; unsorted sizes with repeats; float32 values; tensor inputs left unchanged; Python floats."""
    g = _gen(106)
    ns, values = [250, 1000], [float(v) for v in 5 + torch.rand(2, generator=g, dtype=torch.float64)]
    _judge_fit(extrap_pair(sub, ns, values), ns, values, "from two points")
    ns = [800, 200, 3200, 200, 400, 1600]
    values = (20 + 900 / torch.tensor(ns, dtype=torch.float64)
              + 0.3 * torch.randn(len(ns), generator=g, dtype=torch.float64)).float()
    _judge_fit(extrap_pair(sub, torch.tensor(ns), values), ns, values.double().tolist(),
               "from unsorted sizes with repeats and float32 values")
    kn, kv = _keep(sub, torch.tensor(ns, dtype=torch.float64)), _keep(sub, values.double())
    out = extrap_pair(sub, kn, kv)
    _expect_unchanged(sub, [(kn, torch.tensor(ns, dtype=torch.float64)), (kv, values.double())],
                      "extrapolate_to_infinite_n")
    _judge_fit(out, ns, values.double().tolist(), "from float64 tensors")
    expect_python_float(out[0], "value_inf")
    expect_python_float(out[1], "slope")


# -- KID -----------------------------------------------------------------------------------------------------------


def _kid_diagnoses(x, y):
    return [(_mmd2(x, y, biased=True), HINT_KID_BIASED), (_mmd2(x, y, equal_sizes=True), HINT_KID_EQUAL_SIZES),
            (_mmd2(x, y, d=2048), HINT_KID_GAMMA)]


@register(KID, points=1, hidden=True)
def kid_random_unequal_sizes(sub):
    """Random 16-d features, 40 against 30 samples: the unbiased MMD^2 with (x.y / d + 1)^3."""
    g = _gen(88)
    x = torch.randn(40, 16, generator=g, dtype=torch.float64)
    y = torch.randn(30, 16, generator=g, dtype=torch.float64) * 1.3 + 0.2
    judge_scalar(sub.call("kernel_inception_distance", x, y), _mmd2(x, y),
                 "kernel_inception_distance on 40 and 30 random 16-d features", HINT_KID_GENERIC, rtol=1e-9,
                 atol=1e-12, diagnoses=_kid_diagnoses(x, y))
    judge_scalar(sub.call("kernel_inception_distance", y, x), _mmd2(y, x),
                 "kernel_inception_distance on 30 and 40 random 16-d features", HINT_KID_GENERIC, rtol=1e-9,
                 atol=1e-12, diagnoses=_kid_diagnoses(y, x))


@register(KID, points=1, hidden=True)
def kid_near_zero_for_one_distribution(sub):
    """Ten pairs of samples (100 each) from one 16-d Gaussian: the mean KID is within 3 standard errors of 0."""
    g = _gen(89)
    values, expected, biased = [], [], []
    for i in range(10):
        x = torch.randn(100, 16, generator=g, dtype=torch.float64)
        y = torch.randn(100, 16, generator=g, dtype=torch.float64)
        values.append(scalar(sub.call("kernel_inception_distance", x, y), "kernel_inception_distance(x, y)",
                             HINT_KID_GENERIC))
        expected.append(_mmd2(x, y))
        biased.append(_mmd2(x, y, biased=True))
    v = torch.tensor(values, dtype=torch.float64)
    mean, se = float(v.mean()), float(v.std() / math.sqrt(len(v)))
    if abs(mean - sum(biased) / len(biased)) < 1e-6 * abs(sum(biased)):
        fail(f"the mean KID over 10 pairs of samples of one distribution is {mean:.4g}, not close to 0. "
             f"{HINT_KID_BIASED}", HINT_KID_BIASED)
    if not (math.isfinite(mean) and abs(mean) < 3 * se + 1e-12):
        fail(f"the mean KID over 10 pairs of samples of one distribution is {mean:.4g} (standard error {se:.2g}); "
             f"an unbiased estimate averages to 0. {HINT_KID_GENERIC}", HINT_KID_GENERIC)
    judge(values, expected, "kernel_inception_distance on 10 pairs of one distribution", HINT_KID_GENERIC,
          rtol=1e-9, atol=1e-12, diagnoses=[(biased, HINT_KID_BIASED)])


@register(KID, points=1, hidden=True)
def kid_contract(sub):
    """float32 features handled in float64; the smallest sets (2 and 2, 2 and 5); inputs unchanged; a Python float."""
    g = _gen(107)
    x = (torch.randn(30, 8, generator=g) * 2).float()
    y = (torch.randn(20, 8, generator=g) + 1.0).float()
    kx, ky = _keep(sub, x), _keep(sub, y)
    out = sub.call("kernel_inception_distance", kx, ky)
    _expect_unchanged(sub, [(kx, x), (ky, y)], "kernel_inception_distance")
    judge_scalar(out, _mmd2(x, y), "kernel_inception_distance of float32 features", HINT_KID_GENERIC, rtol=1e-10,
                 float64=True,
                 diagnoses=_kid_diagnoses(x.double(), y.double()))
    expect_python_float(out, "kernel_inception_distance")
    for m, n in ((2, 2), (2, 5)):
        a = torch.randn(m, 3, generator=g, dtype=torch.float64)
        b = torch.randn(n, 3, generator=g, dtype=torch.float64) - 0.5
        judge_scalar(sub.call("kernel_inception_distance", a, b), _mmd2(a, b),
                     f"kernel_inception_distance of {m} against {n} samples", HINT_KID_GENERIC, rtol=1e-9, atol=1e-12,
                     diagnoses=_kid_diagnoses(a, b))


# -- graded questions --------------------------------------------------------------------------------------------

from ganlab.checks.answers import judge_answer  # noqa: E402
from ganlab.checks.lab7 import QUESTION_FID_INF, QUESTION_IS  # noqa: E402

HINT_Q_IS_UNIFORM = ("That treats the three classes as equally frequent: H(y) is the entropy of the class "
                     "frequencies 1/2, 1/4, 1/4.")
HINT_Q_IS_BITS = "That is the entropy of the classes in bits: IS = exp(H(y) - H(y|x)) with entropies in nats."
HINT_Q_IS_LOG = "That is ln IS = H(y) - H(y|x): the score is its exponential."
HINT_Q_IS_K = "The score reaches K = 10 only when all 10 classes are equally frequent."
HINT_Q_IS_ONE = "One-hot predictions make H(y|x) = 0, not the score 1: the score is exp(H(y) - H(y|x))."
HINT_Q_IS = ("Use ln IS = H(y) - H(y|x): with one-hot predictions H(y|x) = 0, and H(y) is the entropy (in nats) of "
             "the class frequencies.")
HINT_Q_INF_LARGEST = ("That is the value at the largest N, which still carries the bias s / N: extrapolate to "
                      "1/N = 0.")
HINT_Q_INF_SIGN = ("The bias has the wrong sign: FID_N falls as N grows here, so s > 0 and FID_inf lies below "
                   "FID at N = 10,000.")
HINT_Q_INF_SMALLEST = "That is the value at the smallest N; extrapolate to 1/N = 0 with both points."
HINT_Q_INF = ("Solve the two equations 0.50 = FID_inf + s / 2000 and 0.45 = FID_inf + s / 10000 for (FID_inf, s) "
              "and return FID_inf.")


@register(QUESTION_IS, points=2, hidden=True)
def three_class_inception_score_is_right(sub):
    """The Inception Score of three confidently classified classes with frequencies 1/2, 1/4, 1/4."""
    judge_answer(sub, "answer_three_class_inception_score", 2 ** 1.5, HINT_Q_IS,
                 [(3.0, HINT_Q_IS_UNIFORM), (1.5, HINT_Q_IS_BITS), (1.5 * math.log(2), HINT_Q_IS_LOG),
                  (10.0, HINT_Q_IS_K), (1.0, HINT_Q_IS_ONE)], positive=True)


@register(QUESTION_FID_INF, points=2, hidden=True)
def fid_infinity_is_right(sub):
    """FID_inf of the exact line in 1/N through two reported scores."""
    judge_answer(sub, "answer_fid_infinity", 0.4375, HINT_Q_INF,
                 [(0.45, HINT_Q_INF_LARGEST), (0.4625, HINT_Q_INF_SIGN), (0.5, HINT_Q_INF_SMALLEST),
                  (0.5125, HINT_Q_INF_SIGN)], positive=True)
