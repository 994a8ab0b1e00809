"""Public checks for Lab 7 (Inception Score, FID and KID).

Expected values here are plain numbers worked out by hand in the comments (or by PyTorch's own
``Categorical.entropy``), so reading this file tells you what a correct function returns on these inputs,
not how to write it. The hidden tests (instructor side) use random inputs, closed forms and an independent
library.

Each exercise is judged on its own: ``frechet_distance`` is run with a stand-in in place of your
``trace_sqrt_product``, and ``fid_from_features`` with stand-ins in place of your ``feature_statistics`` and
``frechet_distance`` (see ``call_with``), so a slip in one function costs points in that function only.
"""

from __future__ import annotations

import math

# The answers module's hints are imported here so that hidden tests may show them (the allow-list reads this module).
from ganlab.checks.answers import HINT_ANSWER_NUMBER, HINT_ANSWER_POSITIVE, answer_number  # noqa: F401
from ganlab.grading.testing import (
    CheckFailure, Global, Ref, SubmissionError, Trusted, as_float_tensor, exercise, expect_close, fail, register,
)

LAB = "lab7"

INCEPTION_SCORE = exercise(LAB, "inception_score", title="Inception Score with splits")
ENTROPY = exercise(LAB, "entropy_terms", title="ln IS = H(y) - H(y|x)")
STATISTICS = exercise(LAB, "feature_statistics", title="Feature mean and unbiased covariance")
TRACE = exercise(LAB, "trace_sqrt_product", title="A stable, exact trace term")
FRECHET = exercise(LAB, "frechet_distance", title="FID from statistics")
FID_FEATURES = exercise(LAB, "fid_from_features", title="FID from features")
EXTRAPOLATE = exercise(LAB, "extrapolate_to_infinite_n", title="The 1/N extrapolation")
KID = exercise(LAB, "kernel_inception_distance", title="Kernel Inception Distance")
QUESTION_IS = exercise(LAB, "answer_three_class_inception_score", title="Question 1: IS of three unequal classes")
QUESTION_FID_INF = exercise(LAB, "answer_fid_infinity", title="Question 2: FID extrapolated to N = infinity")

# -- hints -------------------------------------------------------------------------------------------------
# Hints shared by public and hidden tests: each names the mistake whose number it matches. The *_GENERIC
# ones are shown when no known mistake matches: they restate the contract the value broke.

HINT_KL_REVERSED = ("The KL divergence is reversed: IS uses KL(p(y|x) || p(y)) = sum_y p(y|x) "
                    "(log p(y|x) - log p(y)), weighted by the per-image prediction, not by the marginal.")
HINT_MEAN_OF_EXP = ("That is the mean of exp(KL_i): IS is the exponential of the *mean* KL, "
                    "exp(mean_i KL_i), not the mean of the exponentials.")
HINT_SPLITS_IGNORED = ("That is the score of all N rows at once: compute one IS per split (consecutive "
                       "blocks of N / splits rows, each with its own marginal p(y)), then their mean and std.")
HINT_STRIDED = ("The splits are every splits-th row (rows 0, s, 2s, ...): they must be *consecutive* blocks, "
                "rows 0 .. N/s - 1 first, then the next N/s rows, and so on.")
HINT_GLOBAL_MARGINAL = ("Each split needs its own marginal p(y), the mean prediction of that block; that value "
                        "uses the marginal of all N rows in every split.")
HINT_STD_UNBIASED = ("The spread over splits is the population standard deviation (divide by the number of "
                     "splits, like numpy's np.std), not the unbiased one (which is NaN for one split).")
HINT_LOGITS = ("The inputs are logits, not probabilities: turn them into p(y|x) with a softmax "
               "(or log-probabilities with log_softmax) before computing the KL divergence; a NaN often "
               "comes from the log of a negative logit.")
HINT_SATURATED = ("With large logits some probabilities are exactly 0 (and exp(logit) overflows): "
                  "0 * log 0 must count as 0. Take log p(y|x) from log_softmax (not log(softmax)), log p(y) "
                  "from logsumexp or the terms from torch.special.xlogy, and never divide by or take the log "
                  "of an underflowed 0.")
HINT_ENTROPY_SWAPPED = "The two entropies are swapped: return (H(y), H(y|x)) in that order."
HINT_LOG2 = "Use natural logarithms (nats), so that ln IS = H(y) - H(y|x); that looks like log base 2."
HINT_ENTROPY_OF_MEAN = ("H(y|x) is the *mean of the per-image entropies*, not the entropy of the mean "
                        "prediction (that is H(y)).")
HINT_COV_N = ("The covariance is divided by N: the unbiased estimate divides by N - 1 "
              "(torch.cov and np.cov do so by default).")
HINT_COV_AXIS = ("The statistics are taken over the wrong axis: rows are samples, so mu has length d "
                 "(features) and sigma is d x d.")
HINT_COV_0D = ("With a single feature (d = 1) torch.cov and np.cov return a 0-d value: sigma must still be a "
               "(1, 1) matrix (reshape it, or np.atleast_2d).")
HINT_ONE_PASS = ("That looks like the one-pass formula X^T X / (N - 1) - N mu mu^T / (N - 1) in float32: it "
                 "loses most digits when the features have a large mean. Convert to float64 and subtract the "
                 "mean first.")
HINT_SQRT_SQRT = ("That is tr(sqrt(Sigma1) sqrt(Sigma2)): the trace term needs the square root of the "
                  "*product*, tr((Sigma1 Sigma2)^(1/2)); the two differ unless the matrices commute.")
HINT_NO_SQRT = "That is tr(Sigma1 Sigma2) itself: take the square root of the product's eigenvalues."
HINT_COMPLEX = ("A real number is expected: a general matrix square root (scipy.linalg.sqrtm) can return "
                "complex values from rounding; use the eigenvalues of a symmetric PSD matrix, or keep the real part "
                "after checking the imaginary part is negligible.")
HINT_NAN = ("Near-singular covariances (N < d) give eigenvalues like -1e-15 from rounding; clip them at 0 "
            "before the square root.")
HINT_SQRTM_1X1 = ("For a 1 x 1 matrix (one feature), scipy.linalg.sqrtm(A, disp=False) returns a bare array "
                  "instead of the pair (root, error), so pytorch-fid's `covmean, _ = sqrtm(..., disp=False)` "
                  "fails to unpack: call sqrtm without disp (or use eigenvalues), so that d = 1 works too.")
HINT_OFFSET = ("That value includes a regularising offset eps * I added to the covariances: it shifts the "
               "result when the covariances are small. Add nothing (or only as a fallback when the exact "
               "computation fails), and compute exactly.")
HINT_APPROXIMATE = ("Close, but not exact: the trace term must be exact to float64 rounding. An iterative matrix "
                    "square root (Newton-Schulz) stopped at a tolerance, or an epsilon added to the matrices, is "
                    "not; use the eigenvalues of a symmetric PSD matrix.")
HINT_FACTOR_2 = "The factor 2 in front of the trace term tr((Sigma1 Sigma2)^(1/2)) is missing."
HINT_NO_MEAN = "The mean term ||mu1 - mu2||^2 is missing (or not squared)."
HINT_MEAN_NOT_SQUARED = "Use the *squared* distance ||mu1 - mu2||^2 of the means, not the distance."
HINT_NOT_CLIPPED = ("A Fréchet distance is never negative: rounding can make ||dmu||^2 + tr + tr - 2 tr(...) a "
                    "tiny negative number, which must be clipped to 0 (max(value, 0.0)).")
HINT_TRACE_CALL = ("The trace term must be trace_sqrt_product(sigma1, sigma2), of the two covariances: check "
                   "which matrices your frechet_distance passes to it.")
HINT_EXTRAP_N = ("That fits the values against N: Chong and Forsyth fit them against 1/N, "
                 "value(N) = value_inf + slope / N, and report the intercept value_inf.")
HINT_EXTRAP_ORDER = ("Return (value_inf, slope) in that order (np.polyfit returns the coefficients highest "
                     "degree first: slope, then intercept).")
HINT_EXTRAP_ENDPOINTS = ("That is the line through the first and last points only: fit all M points by "
                         "least squares.")
HINT_KID_BIASED = ("That is the biased MMD^2 estimate: leave out the diagonal k(x_i, x_i) and k(y_j, y_j), "
                   "dividing by m (m - 1) and n (n - 1) (Binkowski et al. 2018).")
HINT_KID_EQUAL_SIZES = ("That value assumes both sets have m samples (as torchmetrics' and the original KID "
                        "code do): with n != m, the y-term divides by n (n - 1) and the cross term by m n.")
HINT_KID_GAMMA = ("The kernel divides a . b by d, the feature dimension of *these* inputs "
                  "(features1.shape[1]), not by a fixed 2048.")
HINT_FLOAT_TYPE = "Return Python floats (float(x) or x.item()), as the docstring says, not tensors or arrays."
HINT_TENSOR_TYPE = "Return float64 torch tensors (torch.from_numpy(...) for arrays), as the docstring says."
HINT_FLOAT64 = ("Close, but only to float32 precision (about 1e-7): compute in float64 (convert the inputs with "
                "`.double()` first), as the docstring asks, even when the inputs are float32; an epsilon added "
                "inside a log or a square root costs as much precision.")
HINT_MUTATES = ("Your function changed its input in place (an in-place operation such as `-=` or `.sub_()`, "
                "or a numpy view from `.numpy()`, which shares memory with the tensor): work on a copy.")

HINT_IS_GENERIC = ("Recheck the score: per split (consecutive blocks of N / splits rows) p(y) is the mean of "
                   "the block's softmax rows and IS_s = exp(mean_i KL(p(y|x_i) || p(y))); return the mean and "
                   "the population std of the split scores.")
HINT_ENTROPY_GENERIC = ("Recheck the entropies (nats, 0 ln 0 = 0): H(y) of the mean softmax row, H(y|x) the "
                        "mean over rows of each row's entropy.")
HINT_STATS_GENERIC = ("Recheck the statistics: mu is the mean over rows (length d), sigma = (X - mu)^T (X - mu) "
                      "/ (N - 1), a d x d float64 tensor.")
HINT_TRACE_GENERIC = ("Recheck the trace term: the sum of the square roots of the eigenvalues of sigma1 sigma2, "
                      "which are real and >= 0 (they are those of a symmetric PSD matrix similar to sigma1 sigma2: "
                      "see the derivation in the text), clipped at 0, in float64.")
HINT_FRECHET_GENERIC = ("Recheck the distance: ||mu1 - mu2||^2 + tr(sigma1) + tr(sigma2) - 2 "
                        "trace_sqrt_product(sigma1, sigma2), clipped at 0.")
HINT_FID_GENERIC = ("Return float(distance(*statistics(features1), *statistics(features2))) with the functions "
                    "passed in (your feature_statistics and frechet_distance when they are None).")
HINT_EXTRAP_GENERIC = ("Fit value = value_inf + slope * (1/N) to all points by least squares and return "
                       "(value_inf, slope).")
HINT_KID_GENERIC = ("Recheck the estimate: k(a, b) = (a . b / d + 1)^3, the within-set sums without the "
                    "diagonal divided by m (m - 1) and n (n - 1), minus twice the mean of the cross terms.")

# -- judging helpers ---------------------------------------------------------------------------------------


def _with_hint(exc: CheckFailure, hint: str) -> CheckFailure:
    if exc.hint:
        return exc
    return CheckFailure(f"{exc} {hint}", hint)


def scalar(value, what, hint=""):
    """A returned real number (Python float, 0-d tensor or array) as a float, or a failure that says why."""
    if isinstance(value, Ref) and value.type in {"complex", "complex128", "complex64", "numpy.complex128"}:
        fail(f"{what} is a complex number. {HINT_COMPLEX}", HINT_COMPLEX)
    try:
        t = as_float_tensor(value, what)
    except CheckFailure as exc:
        if "complex" in str(exc):
            raise CheckFailure(f"{exc} {HINT_COMPLEX}", HINT_COMPLEX) from None
        raise _with_hint(exc, hint or HINT_FLOAT_TYPE) from None
    if t.numel() != 1:
        h = hint or HINT_FLOAT_TYPE
        fail(f"{what} should be a single number, got shape {tuple(t.shape)}. {h}", h)
    return float(t.reshape(()))


def judge(actual, expected, what, hint, diagnoses=(), rtol=1e-6, atol=1e-9, nan_hint="", float64=False,
          loose=1e-4):
    """``expect_close`` that names a mistake on *every* failure.

    Known mistakes (``diagnoses``) are compared first, also those of another shape than the expected value; a
    value right only to float32 precision (within ``loose``) gets the float64 hint (when ``float64``: set it
    where the inputs are float32, or pass the hint to show instead); NaN gets ``nan_hint``; anything else
    gets ``hint``.
    """
    import torch

    try:
        act = as_float_tensor(actual, what)
    except CheckFailure as exc:
        raise _with_hint(exc, HINT_FLOAT_TYPE if "number or tensor" in str(exc) else hint) from None
    exp = as_float_tensor(expected, "expected value")
    if act.shape != exp.shape:  # a known mistake of another shape (statistics over the wrong axis)
        for wrong, wrong_hint in diagnoses:
            w = as_float_tensor(wrong, "diagnosis")
            if w.shape == act.shape and torch.allclose(act, w, rtol=max(rtol, 1e-6), atol=max(atol, 1e-9)):
                fail(f"{what} has shape {tuple(act.shape)}, expected {tuple(exp.shape)}. {wrong_hint}", wrong_hint)
    if act.numel() == exp.numel() and not torch.isfinite(act).all() and torch.isfinite(exp).all():
        h = nan_hint or hint
        fail(f"{what} contains NaN or infinity; expected finite values. {h}", h)
    try:
        expect_close(act, exp, what, rtol=rtol, atol=atol, diagnoses=diagnoses)
    except CheckFailure as exc:
        if exc.hint:
            raise
        if float64 and act.shape == exp.shape and torch.allclose(act, exp, rtol=loose, atol=max(atol, 1e-15) * 1e3):
            band = float64 if isinstance(float64, str) else HINT_FLOAT64
            raise CheckFailure(f"{exc} {band}", band) from None
        raise _with_hint(exc, hint) from None


def judge_scalar(value, expected, what, hint, **kw):
    x = scalar(value, what, hint)
    judge(x, expected, what, hint, **kw)
    return x


def expect_python_float(value, what):
    if isinstance(value, bool) or not isinstance(value, float):
        kind = f"an object of type {value.type}" if isinstance(value, Ref) else f"a {type(value).__name__}"
        fail(f"{what} should be a Python float, got {kind}. {HINT_FLOAT_TYPE}", HINT_FLOAT_TYPE)


def pair(value, what, names, hint=""):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        got = type(value).__name__ + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else "")
        h = hint or f"return a tuple ({names})"
        fail(f"{what} should return a tuple ({names}), got {got}. {h}", h)
    return value


_CALL_WITH = "ganlab.grading.standins.lab7_call_with"


def call_with(sub, name, replacements, *args, **kwargs):
    """``name(*args, **kwargs)`` with some of the submission's top-level names replaced by stand-ins.

    ``replacements`` maps names (``"trace_sqrt_product"``) to ``Trusted`` stand-ins; the submission's own
    definitions are restored after the call.
    """
    try:
        return sub.trusted(_CALL_WITH, Global(name), replacements, *args, keep=False, **kwargs)
    except SubmissionError as exc:
        raise SubmissionError(str(exc).replace(f"`{_CALL_WITH}`", f"`{name}`"), exc.kind) from None


def call_trace(sub, sigma1, sigma2):
    """``trace_sqrt_product(sigma1, sigma2)``; known crashes (NaN inside eigh, sqrtm on 1 x 1) get their hint."""
    try:
        return sub.call("trace_sqrt_product", sigma1, sigma2)
    except SubmissionError as exc:
        if "LinAlg" in exc.kind or "converge" in str(exc):
            fail(f"{exc} {HINT_NAN}", HINT_NAN)
        if exc.kind in ("ValueError", "TypeError") and "unpack" in str(exc):
            fail(f"{exc} {HINT_SQRTM_1X1}", HINT_SQRTM_1X1)
        raise


def tensor(rows, dtype="float64"):
    import torch

    return torch.tensor(rows, dtype=getattr(torch, dtype))


FAKE_TRACE = Trusted("ganlab.grading.standins.lab7_fake_trace_term")
OVERSHOOTING_TRACE = Trusted("ganlab.grading.standins.lab7_overshooting_trace_term")


# -- Inception Score -------------------------------------------------------------------------------

# p(y|x) for logits (0, -50) is (1, 0) up to 2e-22; for (3, 3) it is (1/2, 1/2). The marginal is
# p(y) = (3/4, 1/4); KL_1 = ln(4/3), KL_2 = (1/2) ln(2/3) + (1/2) ln 2 = (1/2) ln(4/3).
# Mean KL = (3/4) ln(4/3), so IS = (4/3)^(3/4) = 1.2408065.
TWO_ROWS = [[0.0, -50.0], [3.0, 3.0]]


def is_pair(sub, logits, splits):
    return pair(sub.call("inception_score", logits, splits=splits), "inception_score", "mean, std", HINT_IS_GENERIC)


@register(INCEPTION_SCORE, points=1)
def inception_score_two_images(sub):
    """Two images with p(y|x) = (1, 0) and (1/2, 1/2): IS = (4/3)^(3/4) = 1.2408, spread 0; Python floats."""
    out = is_pair(sub, tensor(TWO_ROWS), 1)
    judge_scalar(out[0], (4 / 3) ** 0.75, "the IS of logits [[0, -50], [3, 3]]", HINT_IS_GENERIC,
                 nan_hint=HINT_LOGITS,
                 diagnoses=[((4 / 3 + math.sqrt(4 / 3)) / 2, HINT_MEAN_OF_EXP), (417.4807, HINT_KL_REVERSED)])
    judge_scalar(out[1], 0.0, "the std over a single split", HINT_IS_GENERIC, atol=1e-9, nan_hint=HINT_STD_UNBIASED)
    expect_python_float(out[0], "the mean IS")
    expect_python_float(out[1], "the std of the IS")


@register(INCEPTION_SCORE, points=1)
def inception_score_extremes(sub):
    """Confident predictions spread evenly over K = 4 classes give IS = 4; identical ones, or one image, give 1."""
    import torch

    even = 60.0 * torch.eye(4, dtype=torch.float64).repeat(2, 1)  # rows: classes 0, 1, 2, 3, 0, 1, 2, 3
    out = is_pair(sub, even, 2)
    judge_scalar(out[0], 4.0, "the IS of 8 confident predictions, 2 per class, in 2 splits", HINT_IS_GENERIC,
                 nan_hint=HINT_LOGITS, diagnoses=[(2.0, HINT_STRIDED)])  # every other row: classes 0, 2, 0, 2
    judge_scalar(out[1], 0.0, "the std of two splits that both score 4", HINT_IS_GENERIC, atol=1e-7)
    same = 60.0 * torch.eye(4, dtype=torch.float64)[[2] * 8]
    out = is_pair(sub, same, 1)
    judge_scalar(out[0], 1.0, "the IS of 8 identical predictions", HINT_IS_GENERIC, nan_hint=HINT_LOGITS)
    # one image: its prediction is the marginal, KL = 0, IS = 1 (the smallest batch)
    out = is_pair(sub, tensor([[0.5, -1.0, 2.0]]), 1)
    judge_scalar(out[0], 1.0, "the IS of a single image", HINT_IS_GENERIC, nan_hint=HINT_LOGITS)
    judge_scalar(out[1], 0.0, "the std of the IS of a single image", HINT_IS_GENERIC, nan_hint=HINT_STD_UNBIASED)


@register(INCEPTION_SCORE, points=1)
def inception_score_splits(sub):
    """Split 1 is confident over 4 classes (IS 4), split 2 always says class 0 (IS 1): mean 2.5, std 1.5."""
    import torch

    rows = 60.0 * torch.eye(4, dtype=torch.float64)[[0, 1, 2, 3, 0, 0, 0, 0]]
    out = is_pair(sub, rows, 2)
    # For one-hot rows KL_i = -ln p(y = class of row i), so IS = exp(H(p(y))).
    # All 8 rows together: p(y) = (5/8, 1/8, 1/8, 1/8), IS = 1.6^(5/8) * 8^(3/8) = 2.9257.
    # Every other row (rows 0, 2, 4, 6 and 1, 3, 5, 7): classes (0, 2, 0, 0) and (1, 3, 0, 0), p(y) = (3/4, 0,
    # 1/4, 0) and (1/2, 1/4, 0, 1/4): IS (4/3)^(3/4) 4^(1/4) = 1.7548 and 2^(3/2) = 2.8284, mean 2.2916.
    # The marginal of all 8 rows in both splits: KL means (ln 1.6 + 3 ln 8) / 4 and ln 1.6: mean IS 3.4750.
    judge_scalar(out[0], 2.5, "the mean IS over 2 splits", HINT_IS_GENERIC, nan_hint=HINT_LOGITS,
                 diagnoses=[(2.9257265599673192, HINT_SPLITS_IGNORED), (2.2915962376747565, HINT_STRIDED),
                            (3.474961219905688, HINT_GLOBAL_MARGINAL)])
    judge_scalar(out[1], 1.5, "the std of the split scores 4 and 1", HINT_IS_GENERIC,
                 diagnoses=[(1.5 * math.sqrt(2), HINT_STD_UNBIASED), (0.0, HINT_SPLITS_IGNORED)])
    # 4 splits of 2 rows: classes (0, 1), (2, 3), (0, 0), (0, 0) score 2, 2, 1, 1: mean 1.5, std 0.5
    out = is_pair(sub, rows, 4)
    # rows (0, 4), (1, 5), (2, 6), (3, 7) instead score 1, 2, 2, 2 (mean 1.75)
    judge_scalar(out[0], 1.5, "the mean IS over 4 splits of 2 rows", HINT_IS_GENERIC, nan_hint=HINT_LOGITS,
                 diagnoses=[(2.9257265599673192, HINT_SPLITS_IGNORED), (1.75, HINT_STRIDED),
                            (3.694427190999915, HINT_GLOBAL_MARGINAL)])
    judge_scalar(out[1], 0.5, "the std of the split scores 2, 2, 1, 1", HINT_IS_GENERIC,
                 diagnoses=[(0.5 * math.sqrt(4 / 3), HINT_STD_UNBIASED), (0.0, HINT_SPLITS_IGNORED)])


@register(INCEPTION_SCORE, points=1)
def inception_score_saturated(sub):
    """Saturated logits (+-1000): p(y|x) has exact zeros and exp overflows; one-hot over 2 of 4 classes gives IS 2."""
    import torch

    # rows predict classes 0, 1, 0, 1 with probability exactly 1 (exp(-1000) = 0 in float64); classes 2 and 3
    # get p(y) = 0 exactly. KL_i = ln 2 for every row, so IS = 2. The second set adds 1000 to every logit,
    # which changes nothing after the softmax.
    rows = 1000.0 * torch.eye(4, dtype=torch.float64)[[0, 1, 0, 1]]
    for shift in (0.0, 1000.0):
        out = is_pair(sub, rows + shift, 1)
        judge_scalar(out[0], 2.0, f"the IS of one-hot logits of size 1000 shifted by {shift:g}", HINT_SATURATED,
                     nan_hint=HINT_SATURATED)


# -- entropies -----------------------------------------------------------------------------------------


def entropy_pair(sub, logits):
    return pair(sub.call("entropy_terms", logits), "entropy_terms", "h_y, h_y_given_x", HINT_ENTROPY_GENERIC)


@register(ENTROPY, points=1)
def entropy_terms_two_images(sub):
    """Same two images: H(y) = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.56234, H(y|x) = (0 + ln 2) / 2 = 0.34657."""
    out = entropy_pair(sub, tensor(TWO_ROWS))
    h_y, h_cond = 0.5623351446188083, math.log(2) / 2
    judge_scalar(out[0], h_y, "H(y) from entropy_terms", HINT_ENTROPY_GENERIC, nan_hint=HINT_LOGITS,
                 diagnoses=[(h_cond, HINT_ENTROPY_SWAPPED), (h_y / math.log(2), HINT_LOG2)])
    judge_scalar(out[1], h_cond, "H(y|x) from entropy_terms", HINT_ENTROPY_GENERIC, nan_hint=HINT_LOGITS,
                 diagnoses=[(h_y, HINT_ENTROPY_OF_MEAN), (0.5, HINT_LOG2)])
    expect_python_float(out[0], "H(y)")
    expect_python_float(out[1], "H(y|x)")


@register(ENTROPY, points=1)
def entropy_terms_saturated_and_single(sub):
    """Saturated logits: p(y|x) = (1, 0, 0) and (0, 1/2, 1/2) exactly; one image: H(y) = H(y|x)."""
    import torch

    # p(y) = (1/2, 1/4, 1/4): H(y) = (1/2) ln 2 + 2 (1/4) ln 4 = 1.5 ln 2; H(y|x) = (0 + ln 2) / 2
    out = entropy_pair(sub, tensor([[1000.0, 0.0, 0.0], [0.0, 1000.0, 1000.0]]))
    judge_scalar(out[0], 1.5 * math.log(2), "H(y) of saturated logits", HINT_SATURATED, nan_hint=HINT_SATURATED,
                 diagnoses=[(math.log(2) / 2, HINT_ENTROPY_SWAPPED), (1.5, HINT_LOG2)])
    judge_scalar(out[1], math.log(2) / 2, "H(y|x) of saturated logits", HINT_SATURATED, nan_hint=HINT_SATURATED,
                 diagnoses=[(1.5 * math.log(2), HINT_ENTROPY_OF_MEAN), (0.5, HINT_LOG2)])
    # a single image (N = 1): its prediction is the marginal, so both entropies are PyTorch's Categorical entropy
    one = tensor([[1.0, 2.0, 4.0]])
    h = float(torch.distributions.Categorical(logits=one).entropy())
    out = entropy_pair(sub, one)
    judge_scalar(out[0], h, "H(y) of a single image", HINT_ENTROPY_GENERIC, nan_hint=HINT_LOGITS,
                 diagnoses=[(h / math.log(2), HINT_LOG2)])
    judge_scalar(out[1], h, "H(y|x) of a single image", HINT_ENTROPY_GENERIC, nan_hint=HINT_LOGITS,
                 diagnoses=[(h / math.log(2), HINT_LOG2)])


# -- statistics ------------------------------------------------------------------------------------------


def stats_pair(sub, features):
    return pair(sub.call("feature_statistics", features), "feature_statistics", "mu, sigma", HINT_STATS_GENERIC)


def expect_float64_tensor(value, what):
    import torch

    if not isinstance(value, torch.Tensor):
        fail(f"{what} should be a torch tensor, got {type(value).__name__}. {HINT_TENSOR_TYPE}", HINT_TENSOR_TYPE)
    if value.dtype != torch.float64:
        fail(f"{what} should be float64, got {value.dtype}. {HINT_FLOAT64}", HINT_FLOAT64)


@register(STATISTICS, points=1)
def statistics_three_points(sub):
    """Rows (1, 2), (3, 4), (5, 0): mu = (3, 2), Sigma = [[4, -2], [-2, 4]] (sums 8, 8, -4 over N - 1 = 2)."""
    out = stats_pair(sub, tensor([[1, 2], [3, 4], [5, 0]]))
    judge(out[0], [3.0, 2.0], "mu", HINT_STATS_GENERIC, diagnoses=[([1.5, 3.5, 2.5], HINT_COV_AXIS)])
    judge(out[1], [[4.0, -2.0], [-2.0, 4.0]], "sigma", HINT_STATS_GENERIC,
          diagnoses=[([[8 / 3, -4 / 3], [-4 / 3, 8 / 3]], HINT_COV_N)])


@register(STATISTICS, points=1)
def statistics_one_feature_float32(sub):
    """One feature (d = 1), float32 rows 1, 2, 6: mu = (3,), Sigma = [[7]] ((4 + 1 + 9) / 2), both float64 tensors."""
    out = stats_pair(sub, tensor([[1.0], [2.0], [6.0]], dtype="float32"))
    judge(out[0], [3.0], "mu of one feature", HINT_STATS_GENERIC, float64=True)
    sigma = out[1]
    if as_float_tensor(sigma, "sigma").shape == ():
        fail(f"sigma of one feature has shape (), expected (1, 1). {HINT_COV_0D}", HINT_COV_0D)
    judge(sigma, [[7.0]], "sigma of one feature", HINT_STATS_GENERIC, diagnoses=[([[14 / 3]], HINT_COV_N)],
          float64=True)
    expect_float64_tensor(out[0], "mu of float32 features")
    expect_float64_tensor(out[1], "sigma of float32 features")


# -- trace term ------------------------------------------------------------------------------------------

# For 2 x 2 matrices, tr(A^(1/2)) = sqrt(tr A + 2 sqrt(det A)) when A has non-negative eigenvalues.
# Sigma1 = [[2, 1], [1, 1]], Sigma2 = diag(1, 4): tr(Sigma1 Sigma2) = 6, det = 4, so the trace term is sqrt(10).
S1 = [[2.0, 1.0], [1.0, 1.0]]
S2 = [[1.0, 0.0], [0.0, 4.0]]


@register(TRACE, points=1)
def trace_two_by_two(sub):
    """tr((Sigma1 Sigma2)^(1/2)) = sqrt(10) for Sigma1 = [[2, 1], [1, 1]], Sigma2 = diag(1, 4); a Python float."""
    out = call_trace(sub, tensor(S1), tensor(S2))
    # sqrt(Sigma1) = [[3, 1], [1, 2]] / sqrt(5), so tr(sqrt(Sigma1) sqrt(Sigma2)) = (3 + 4) / sqrt(5)
    judge_scalar(out, math.sqrt(10), "trace_sqrt_product(Sigma1, Sigma2)", HINT_TRACE_GENERIC, nan_hint=HINT_NAN,
                 diagnoses=[(7 / math.sqrt(5), HINT_SQRT_SQRT), (6.0, HINT_NO_SQRT),
                            (3.1622802690468417, HINT_OFFSET)])  # with 1e-6 * I added to both matrices
    expect_python_float(out, "trace_sqrt_product(Sigma1, Sigma2)")


@register(TRACE, points=1)
def trace_singular(sub):
    """A rank-1 covariance (as from N < d samples): Sigma1 = [[1, 1], [1, 1]], Sigma2 = diag(1, 4) gives sqrt(5)."""
    out = call_trace(sub, tensor([[1.0, 1.0], [1.0, 1.0]]), tensor(S2))
    # tr(Sigma1 Sigma2) = 5 and det = 0, so the trace term is sqrt(5 + 0)
    judge_scalar(out, math.sqrt(5), "trace_sqrt_product of a singular Sigma1", HINT_TRACE_GENERIC, nan_hint=HINT_NAN,
                 diagnoses=[(1.5 * math.sqrt(2), HINT_SQRT_SQRT), (5.0, HINT_NO_SQRT),
                            (2.2373340964642217, HINT_OFFSET)])  # with 1e-6 * I added to both matrices


@register(TRACE, points=1)
def trace_one_feature(sub):
    """1 x 1 covariances (one feature): tr((4 * 2.25)^(1/2)) = 3."""
    out = call_trace(sub, tensor([[4.0]]), tensor([[2.25]]))
    judge_scalar(out, 3.0, "trace_sqrt_product([[4]], [[2.25]])", HINT_TRACE_GENERIC, nan_hint=HINT_NAN,
                 diagnoses=[(9.0, HINT_NO_SQRT), (3.0000010416666525, HINT_OFFSET)])


# -- FID from statistics ---------------------------------------------------------------------------------
# frechet_distance runs with a stand-in in place of your trace_sqrt_product, fake_trace(S1, S2) =
# sqrt(tr S1 tr S2) / 4 (not the real trace term), so these checks judge frechet_distance alone. A distance that
# computes the real trace term itself, without calling trace_sqrt_product, is accepted too.


def frechet_value(sub, mu1, sigma1, mu2, sigma2, trace=FAKE_TRACE):
    return call_with(sub, "frechet_distance", {"trace_sqrt_product": trace}, mu1, sigma1, mu2, sigma2)


def judge_frechet(out, exact, fake, what, mean_term, fake_term, exact_term, rtol=1e-6, atol=1e-9):
    """Accept the value built on the stand-in trace term (``fake``) or the exact one; name the mistake otherwise.

    ``*_term`` are the trace terms of each variant and ``mean_term`` is ||dmu||^2, for the diagnoses.
    """
    x = scalar(out, what, HINT_FRECHET_GENERIC)
    if math.isfinite(x) and math.isclose(x, fake, rel_tol=rtol, abs_tol=atol):
        return x
    diagnoses = []
    for value, term in ((fake, fake_term), (exact, exact_term)):
        diagnoses += [(value + term, HINT_FACTOR_2), (value - mean_term, HINT_NO_MEAN),
                      (value - mean_term + math.sqrt(mean_term), HINT_MEAN_NOT_SQUARED)]
    judge(x, exact, what, HINT_FRECHET_GENERIC, rtol=rtol, atol=atol, diagnoses=diagnoses, nan_hint=HINT_NAN)
    return x


@register(FRECHET, points=1)
def frechet_one_dimensional(sub):
    """1-D Gaussians N(0, 4) and N(3, 1): (0 - 3)^2 + 4 + 1 - 2 * trace term; a Python float."""
    out = frechet_value(sub, tensor([0.0]), tensor([[4.0]]), tensor([3.0]), tensor([[1.0]]))
    # real trace term sqrt(4 * 1) = 2: 9 + 5 - 4 = 10; stand-in sqrt(4 * 1) / 4 = 0.5: 9 + 5 - 1 = 13
    judge_frechet(out, 10.0, 13.0, "frechet_distance for N(0, 4) and N(3, 1)", 9.0, 0.5, 2.0)
    expect_python_float(out, "frechet_distance")


@register(FRECHET, points=1)
def frechet_identical_and_shifted(sub):
    """Identical statistics give 0 (tiny negative rounding clipped); a mean shift by (3, 4) adds ||dmu||^2 = 25."""
    mu, sigma = tensor([1.0, 2.0]), tensor(S1)
    # The stand-in here returns (tr S1 + tr S2) / 2 * (1 + 1e-10), a hair above the real value 3, as rounding
    # can: 3 + 3 - 2 * 3.0000000003 = -6e-10, which a distance must clip to 0.
    out = frechet_value(sub, mu, sigma, mu, sigma, trace=OVERSHOOTING_TRACE)
    x = scalar(out, "frechet_distance of identical statistics", HINT_FRECHET_GENERIC)
    if math.isfinite(x) and -1e-8 < x < 0:
        fail(f"frechet_distance of identical statistics is {x:.3g}, a negative number. {HINT_NOT_CLIPPED}",
             HINT_NOT_CLIPPED)
    judge(x, 0.0, "frechet_distance of identical statistics", HINT_FRECHET_GENERIC, atol=1e-9, nan_hint=HINT_NAN,
          diagnoses=[(3.0, HINT_FACTOR_2)])
    out = frechet_value(sub, mu, sigma, tensor([4.0, 6.0]), sigma)
    # stand-in trace term sqrt(3 * 3) / 4 = 0.75: 25 + 6 - 1.5 = 29.5; with the real one (3): 25
    judge_frechet(out, 25.0, 29.5, "frechet_distance after a mean shift by (3, 4)", 25.0, 0.75, 3.0)


@register(FRECHET, points=1)
def frechet_irrational(sub):
    """Equal means, Sigma1 = diag(2, 1), Sigma2 = diag(1, 3): 3 + 4 - 2 * trace term."""
    mu = tensor([0.0, 0.0])
    out = frechet_value(sub, mu, tensor([[2.0, 0.0], [0.0, 1.0]]), mu, tensor([[1.0, 0.0], [0.0, 3.0]]))
    # real trace term sqrt 2 + sqrt 3: 0.70747; stand-in sqrt(3 * 4) / 4 = 0.86603: 7 - 1.7321 = 5.2679
    exact = 7 - 2 * (math.sqrt(2) + math.sqrt(3))
    judge_frechet(out, exact, 7 - math.sqrt(12) / 2, "frechet_distance for diag(2, 1) vs diag(1, 3)", 0.0,
                  math.sqrt(12) / 4, math.sqrt(2) + math.sqrt(3))


# -- FID from features -------------------------------------------------------------------------------------

# Stand-ins with simple, known behaviour (deliberately *not* the real statistics or distance): with them,
# fid_from_features is checked for how it composes its two parts, whatever your other functions do.


def standin_statistics(features):
    """(column means, second-moment matrix X^T X / N) of a float tensor (N, d), float64."""
    import torch

    rows = torch.as_tensor(features).to(torch.float64)
    return rows.mean(dim=0), rows.T @ rows / rows.shape[0]


def standin_distance(mu1, sigma1, mu2, sigma2):
    """||mu1 - mu2||^2 + 10 tr(sigma1) + 100 tr(sigma2): tells the two arguments apart."""
    import torch

    return float(((mu1 - mu2) ** 2).sum() + 10 * torch.trace(sigma1) + 100 * torch.trace(sigma2))


HINT_SETS_SWAPPED = ("The two feature sets are swapped: the statistics of features1 go first, "
                     "distance(mu1, sigma1, mu2, sigma2).")
HINT_STANDINS_IGNORED = ("The statistics/distance arguments were not used: call the functions passed in "
                         "(use feature_statistics and frechet_distance only when they are None).")
HINT_DEFAULTS = ("With statistics=None / distance=None, fid_from_features must call *your* feature_statistics "
                 "and frechet_distance (by those names), each independently of the other argument.")

STATS = Trusted("ganlab.checks.lab7.standin_statistics")
DIST = Trusted("ganlab.checks.lab7.standin_distance")
X3 = [[1, 2], [3, 4], [5, 0]]   # mean (3, 2), diag of X^T X / 3 = (35/3, 20/3): trace 55/3
Y2 = [[0, 0], [2, 2]]           # mean (1, 1), diag of X^T X / 2 = (2, 2): trace 4
# ||(2, 1)||^2 + 10 * 55/3 + 100 * 4 = 5 + 183.33 + 400; swapped: 5 + 10 * 4 + 100 * 55/3
COMPOSED = 5 + 550 / 3 + 400
COMPOSED_SWAPPED = 5 + 40 + 5500 / 3
# The real FID of X3 and Y2: Sigma_x = [[4, -2], [-2, 4]], Sigma_y = [[2, 2], [2, 2]], Sigma_x Sigma_y =
# [[4, 4], [4, 4]] (trace 8, det 0), so FID = 5 + 8 + 4 - 2 sqrt(8) = 17 - 4 sqrt 2.
REAL_FID = 17 - 4 * math.sqrt(2)


@register(FID_FEATURES, points=1)
def fid_features_composition(sub):
    """With stand-ins: statistics (mean, X^T X / N) and distance ||dmu||^2 + 10 tr(s1) + 100 tr(s2) give 588.33."""
    out = sub.call("fid_from_features", tensor(X3), tensor(Y2), statistics=STATS, distance=DIST)
    judge_scalar(out, COMPOSED, "fid_from_features(x, y, stand-in statistics, stand-in distance)", HINT_FID_GENERIC,
                 diagnoses=[(COMPOSED_SWAPPED, HINT_SETS_SWAPPED), (REAL_FID, HINT_STANDINS_IGNORED)])
    expect_python_float(out, "fid_from_features")


def call_fid_defaults(sub, replaced, x, y, **kwargs):
    """fid_from_features with the submission's feature_statistics / frechet_distance replaced by stand-ins."""
    try:
        return call_with(sub, "fid_from_features", replaced, x, y, **kwargs)
    except SubmissionError as exc:
        if "NoneType" in str(exc):  # called a None argument instead of the default
            fail(f"{exc} {HINT_DEFAULTS}", HINT_DEFAULTS)
        raise


@register(FID_FEATURES, points=1)
def fid_features_defaults(sub):
    """statistics=None / distance=None use your feature_statistics / frechet_distance (replaced by stand-ins here)."""
    replaced = {"feature_statistics": STATS, "frechet_distance": DIST}
    for kwargs in ({}, {"statistics": STATS}, {"distance": DIST}):
        given = ", ".join(f"{k}=stand-in" for k in kwargs) or "no statistics or distance"
        out = call_fid_defaults(sub, replaced, tensor(X3), tensor(Y2), **kwargs)
        x = scalar(out, f"fid_from_features(x, y) with {given}", HINT_DEFAULTS)
        if not kwargs and math.isclose(x, REAL_FID, rel_tol=1e-6):  # computed the real FID itself: accepted
            continue
        judge(x, COMPOSED, f"fid_from_features(x, y) with {given}", HINT_DEFAULTS,
              diagnoses=[(COMPOSED_SWAPPED, HINT_SETS_SWAPPED)])


# -- extrapolation -------------------------------------------------------------------------------------------


def extrap_pair(sub, ns, values):
    return pair(sub.call("extrapolate_to_infinite_n", ns, values), "extrapolate_to_infinite_n", "value_inf, slope",
                HINT_EXTRAP_GENERIC)


@register(EXTRAPOLATE, points=1)
def extrapolate_exact_line(sub):
    """Values 6, 5.5, 5.25 at N = 100, 200, 400 lie on 5 + 100 / N: (value_inf, slope) = (5, 100); two points too."""
    out = extrap_pair(sub, [100, 200, 400], [6.0, 5.5, 5.25])
    # a line in N through the same points has intercept 6.0357 and slope -0.0035714
    judge_scalar(out[0], 5.0, "value_inf", HINT_EXTRAP_GENERIC, rtol=1e-6,
                 diagnoses=[(6.035714285714286, HINT_EXTRAP_N), (100.0, HINT_EXTRAP_ORDER)])
    judge_scalar(out[1], 100.0, "slope", HINT_EXTRAP_GENERIC, rtol=1e-6, diagnoses=[(5.0, HINT_EXTRAP_ORDER)])
    expect_python_float(out[0], "value_inf")
    expect_python_float(out[1], "slope")
    # M = 2, the fewest points: 4 at N = 100 and 3 at N = 300, slope 1 / (1/100 - 1/300) = 150, value_inf 2.5
    out = extrap_pair(sub, [100, 300], [4.0, 3.0])
    judge_scalar(out[0], 2.5, "value_inf from two points", HINT_EXTRAP_GENERIC, rtol=1e-6,
                 diagnoses=[(4.5, HINT_EXTRAP_N), (150.0, HINT_EXTRAP_ORDER)])
    judge_scalar(out[1], 150.0, "slope from two points", HINT_EXTRAP_GENERIC, rtol=1e-6,
                 diagnoses=[(2.5, HINT_EXTRAP_ORDER)])


@register(EXTRAPOLATE, points=1)
def extrapolate_least_squares_hand(sub):
    """Four values off any line (9, 7.2, 6.1, 5.8 at N = 50, 100, 200, 400): least squares gives (5.2739, 186.78)."""
    out = extrap_pair(sub, [50, 100, 200, 400], [9.0, 7.2, 6.1, 5.8])
    # u = 1/N = (0.02, 0.01, 0.005, 0.0025): sum u = 3/80, sum v = 28.1, sum u^2 = 17/32000, sum u v = 0.297;
    # slope = (4 * 0.297 - 3/80 * 28.1) / (4 * 17/32000 - (3/80)^2) = 4296/23 = 186.7826,
    # value_inf = (28.1 - slope * 3/80) / 4 = 1213/230 = 5.2739.
    # Against N: (8.4826, -0.0077739); through the first and last points only: (5.342857, 182.857).
    judge_scalar(out[0], 1213 / 230, "value_inf from 4 noisy points", HINT_EXTRAP_GENERIC, rtol=1e-5,
                 diagnoses=[(8.482608695652173, HINT_EXTRAP_N), (5.3428571428571425, HINT_EXTRAP_ENDPOINTS),
                            (4296 / 23, HINT_EXTRAP_ORDER)])
    judge_scalar(out[1], 4296 / 23, "slope from 4 noisy points", HINT_EXTRAP_GENERIC, rtol=1e-5,
                 diagnoses=[(-0.007773913043478261, HINT_EXTRAP_N), (182.85714285714286, HINT_EXTRAP_ENDPOINTS),
                            (1213 / 230, HINT_EXTRAP_ORDER)])


# -- KID ------------------------------------------------------------------------------------------------------


@register(KID, points=1)
def kid_hand_worked(sub):
    """d = 1, x = {0, 1}, y = {0, 2}: k = (x y + 1)^3 gives MMD^2 = 1 + 1 - 2 * 30 / 4 = -13 (unbiased)."""
    out = sub.call("kernel_inception_distance", tensor([[0.0], [1.0]]), tensor([[0.0], [2.0]]))
    # with the diagonal kept: (1 + 8 + 2) / 4 + (1 + 125 + 2) / 4 - 15 = 19.75
    judge_scalar(out, -13.0, "kernel_inception_distance({0, 1}, {0, 2})", HINT_KID_GENERIC,
                 diagnoses=[(19.75, HINT_KID_BIASED)])
    expect_python_float(out, "kernel_inception_distance")


@register(KID, points=1)
def kid_unequal_sizes(sub):
    """d = 2, m = 2 against n = 3 samples: the unbiased estimate is 2/2 + 20/6 - 2 * 22.375/6 = -3.125."""
    x = tensor([[1.0, 0.0], [0.0, 2.0]])
    y = tensor([[1.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    # k(a, b) = (a . b / 2 + 1)^3. Off-diagonal sums: within x 1 + 1 = 2, within y 2 (8 + 1 + 1) = 20;
    # cross terms 27/8 + 8 + 1 + 8 + 1 + 1 = 22.375; diagonals x: 27/8 + 27, y: 8 + 27 + 1.
    # Dividing y's sum by m (m - 1) and the cross sum by m^2 (equal sizes assumed): 1 + 10 - 11.1875 = -0.1875.
    # Biased (diagonals kept, all means): 1975/288 = 6.8576.
    out = sub.call("kernel_inception_distance", x, y)
    judge_scalar(out, -3.125, "kernel_inception_distance of 2 against 3 samples", HINT_KID_GENERIC,
                 diagnoses=[(-0.1875, HINT_KID_EQUAL_SIZES), (1975 / 288, HINT_KID_BIASED)])


# -- graded questions ------------------------------------------------------------------------------------------
# The public checks only say whether an answer is a well-formed number: the answers themselves are judged by the
# hidden tests (this file ships to students).


@register(QUESTION_IS, points=0)
def three_class_answer_is_a_number(sub):
    """The answer is a finite number > 0 (whether it is right is judged by the hidden test)."""
    answer_number(sub, "answer_three_class_inception_score", positive=True)


@register(QUESTION_FID_INF, points=0)
def fid_infinity_answer_is_a_number(sub):
    """The answer is a finite number > 0 (whether it is right is judged by the hidden test)."""
    answer_number(sub, "answer_fid_infinity", positive=True)
