"""Public checks for Lab 7 (Inception Score, FID and KID).

Expected values here are plain numbers worked out by hand in the comments, so reading this file tells
you what a correct function returns on these inputs, not how to write it. The hidden tests (instructor
side) use random inputs, closed forms and an independent library.
"""

from __future__ import annotations

import math

from ganlab.grading.testing import Ref, as_float_tensor, exercise, expect_close, expect_true, fail, register

LAB = "lab7"

INCEPTION_SCORE = exercise(LAB, "inception_score", title="Inception Score with splits")
ENTROPY = exercise(LAB, "entropy_terms", title="ln IS = H(y) - H(y|x)")
STATISTICS = exercise(LAB, "feature_statistics", title="Feature mean and unbiased covariance")
TRACE = exercise(LAB, "trace_sqrt_product", title="A stable, exact trace term")
FRECHET = exercise(LAB, "frechet_distance", title="FID from statistics")
FID_FEATURES = exercise(LAB, "fid_from_features", title="FID from features")
EXTRAPOLATE = exercise(LAB, "extrapolate_to_infinite_n", title="The 1/N extrapolation")
KID = exercise(LAB, "kernel_inception_distance", title="Kernel Inception Distance")

# Hints shared by public and hidden tests: each names the mistake whose number it matches.
HINT_KL_REVERSED = ("The KL divergence is reversed: IS uses KL(p(y|x) || p(y)) = sum_y p(y|x) "
                    "(log p(y|x) - log p(y)), weighted by the per-image prediction, not by the marginal.")
HINT_MEAN_OF_EXP = ("That is the mean of exp(KL_i): IS is the exponential of the *mean* KL, "
                    "exp(mean_i KL_i), not the mean of the exponentials.")
HINT_SPLITS_IGNORED = ("That is the score of all N rows at once: compute one IS per split (consecutive "
                       "blocks of N / splits rows, each with its own marginal p(y)), then their mean and std.")
HINT_STD_UNBIASED = ("The spread over splits is the population standard deviation (divide by the number of "
                     "splits, like numpy's np.std), not the unbiased one.")
HINT_LOGITS = ("The inputs are logits, not probabilities: turn them into p(y|x) with a softmax "
               "(or log-probabilities with log_softmax) before computing the KL divergence.")
HINT_ENTROPY_SWAPPED = "The two entropies are swapped: return (H(y), H(y|x)) in that order."
HINT_LOG2 = "Use natural logarithms (nats), so that ln IS = H(y) - H(y|x); that looks like log base 2."
HINT_ENTROPY_OF_MEAN = ("H(y|x) is the *mean of the per-image entropies*, not the entropy of the mean "
                        "prediction (that is H(y)).")
HINT_COV_N = ("The covariance is divided by N: the unbiased estimate divides by N - 1 "
              "(torch.cov and np.cov do so by default).")
HINT_COV_AXIS = ("The statistics are taken over the wrong axis: rows are samples, so mu has length d "
                 "(features) and sigma is d x d.")
HINT_SQRT_SQRT = ("That is tr(sqrt(Sigma1) sqrt(Sigma2)): the trace term needs the square root of the "
                  "*product*, tr((Sigma1 Sigma2)^(1/2)); the two differ unless the matrices commute.")
HINT_NO_SQRT = "That is tr(Sigma1 Sigma2) itself: take the square root of the product's eigenvalues."
HINT_COMPLEX = ("A real number is expected: a general matrix square root (scipy.linalg.sqrtm) can return "
                "complex values from rounding; use the eigenvalues of a symmetric PSD matrix, or keep the real part "
                "after checking the imaginary part is negligible.")
HINT_NAN = ("Near-singular covariances (N < d) give eigenvalues like -1e-15 from rounding; clip them at 0 "
            "before the square root.")
HINT_FACTOR_2 = "The factor 2 in front of the trace term tr((Sigma1 Sigma2)^(1/2)) is missing."
HINT_NO_MEAN = "The mean term ||mu1 - mu2||^2 is missing (or not squared)."
HINT_MEAN_NOT_SQUARED = "Use the *squared* distance ||mu1 - mu2||^2 of the means, not the distance."
HINT_EXTRAP_N = ("That fits the values against N: Chong and Forsyth fit them against 1/N, "
                 "value(N) = value_inf + slope / N, and report the intercept value_inf.")
HINT_EXTRAP_ORDER = "Return (value_inf, slope) in that order."
HINT_KID_BIASED = ("That is the biased MMD^2 estimate: leave out the diagonal k(x_i, x_i) and k(y_j, y_j), "
                   "dividing by m (m - 1) and n (n - 1) (Binkowski et al. 2018).")


def scalar(value, what):
    """A returned real number (Python float, 0-d tensor or array) as a float, or a failure that says why."""
    if isinstance(value, Ref) and value.type in {"complex", "complex128", "complex64"}:
        fail(f"{what} is a complex number. {HINT_COMPLEX}", HINT_COMPLEX)
    t = as_float_tensor(value, what)
    expect_true(t.numel() == 1, f"{what} should be a single number, got shape {tuple(t.shape)}.")
    return float(t.reshape(()))


def expect_scalar(value, expected, what, diagnoses=(), rtol=1e-6, atol=1e-9, nan_hint=""):
    x = scalar(value, what)
    if not math.isfinite(x):
        fail(f"{what} is {x}; expected a finite number like {expected:.6g}. {nan_hint}".rstrip(), nan_hint)
    expect_close(x, expected, what, rtol=rtol, atol=atol, diagnoses=diagnoses)
    return x


def call_trace(sub, sigma1, sigma2):
    """``trace_sqrt_product(sigma1, sigma2)``; a linear-algebra failure (NaN inside eigh) gets the NaN hint."""
    from ganlab.grading.testing import SubmissionError

    try:
        return sub.call("trace_sqrt_product", sigma1, sigma2)
    except SubmissionError as exc:
        if "LinAlg" in exc.kind or "converge" in str(exc):
            fail(f"{exc} {HINT_NAN}", HINT_NAN)
        raise


def pair(value, what, names):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        fail(f"{what} should return a tuple ({names}), got "
             f"{type(value).__name__}" + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else "")
             + ".")
    return value


def tensor(rows):
    import torch

    return torch.tensor(rows, dtype=torch.float64)


# -- Inception Score -------------------------------------------------------------------------------

# p(y|x) for logits (0, -50) is (1, 0) up to 2e-22; for (3, 3) it is (1/2, 1/2). The marginal is
# p(y) = (3/4, 1/4); KL_1 = ln(4/3), KL_2 = (1/2) ln(2/3) + (1/2) ln 2 = (1/2) ln(4/3).
# Mean KL = (3/4) ln(4/3), so IS = (4/3)^(3/4) = 1.2408065.
TWO_ROWS = [[0.0, -50.0], [3.0, 3.0]]


@register(INCEPTION_SCORE, points=1)
def inception_score_two_images(sub):
    """Two images with p(y|x) = (1, 0) and (1/2, 1/2): IS = (4/3)^(3/4) = 1.2408, spread 0."""
    out = pair(sub.call("inception_score", tensor(TWO_ROWS), splits=1), "inception_score", "mean, std")
    expect_scalar(out[0], (4 / 3) ** 0.75, "the IS of logits [[0, -50], [3, 3]]", nan_hint=HINT_LOGITS,
                  diagnoses=[((4 / 3 + math.sqrt(4 / 3)) / 2, HINT_MEAN_OF_EXP), (417.4807, HINT_KL_REVERSED)])
    expect_scalar(out[1], 0.0, "the std over a single split", atol=1e-9)


@register(INCEPTION_SCORE, points=1)
def inception_score_extremes(sub):
    """Confident predictions spread evenly over K = 4 classes give IS = 4; identical ones give IS = 1."""
    import torch

    even = 60.0 * torch.eye(4, dtype=torch.float64).repeat(2, 1)  # rows: classes 0, 1, 2, 3, 0, 1, 2, 3
    out = pair(sub.call("inception_score", even, splits=2), "inception_score", "mean, std")
    expect_scalar(out[0], 4.0, "the IS of 8 confident predictions, 2 per class, in 2 splits", nan_hint=HINT_LOGITS)
    expect_scalar(out[1], 0.0, "the std of two splits that both score 4", atol=1e-7)
    same = 60.0 * torch.eye(4, dtype=torch.float64)[[2] * 8]
    out = pair(sub.call("inception_score", same, splits=1), "inception_score", "mean, std")
    expect_scalar(out[0], 1.0, "the IS of 8 identical predictions", nan_hint=HINT_LOGITS)


@register(INCEPTION_SCORE, points=1)
def inception_score_splits(sub):
    """Split 1 is confident over 4 classes (IS 4), split 2 always says class 0 (IS 1): mean 2.5, std 1.5."""
    import torch

    rows = 60.0 * torch.eye(4, dtype=torch.float64)[[0, 1, 2, 3, 0, 0, 0, 0]]
    out = pair(sub.call("inception_score", rows, splits=2), "inception_score", "mean, std")
    # all 8 rows together: p(y) = (5/8, 1/8, 1/8, 1/8), IS = 1.6^(5/8) * 8^(3/8) = 2.9257
    expect_scalar(out[0], 2.5, "the mean IS over 2 splits", nan_hint=HINT_LOGITS,
                  diagnoses=[(2.9257265599673192, HINT_SPLITS_IGNORED)])
    expect_scalar(out[1], 1.5, "the std of the split scores 4 and 1",
                  diagnoses=[(1.5 * math.sqrt(2), HINT_STD_UNBIASED), (0.0, HINT_SPLITS_IGNORED)])


# -- entropies -----------------------------------------------------------------------------------------


@register(ENTROPY, points=1)
def entropy_terms_two_images(sub):
    """Same two images: H(y) = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.56234, H(y|x) = (0 + ln 2) / 2 = 0.34657."""
    out = pair(sub.call("entropy_terms", tensor(TWO_ROWS)), "entropy_terms", "h_y, h_y_given_x")
    h_y, h_cond = 0.5623351446188083, math.log(2) / 2
    expect_scalar(out[0], h_y, "H(y) from entropy_terms", nan_hint=HINT_LOGITS,
                  diagnoses=[(h_cond, HINT_ENTROPY_SWAPPED), (h_y / math.log(2), HINT_LOG2)])
    expect_scalar(out[1], h_cond, "H(y|x) from entropy_terms", nan_hint=HINT_LOGITS,
                  diagnoses=[(h_y, HINT_ENTROPY_OF_MEAN), (0.5, HINT_LOG2)])


# -- statistics ------------------------------------------------------------------------------------------


@register(STATISTICS, points=1)
def statistics_three_points(sub):
    """Rows (1, 2), (3, 4), (5, 0): mu = (3, 2), Sigma = [[4, -2], [-2, 4]] (sums of squares 8, 8, -4 over N - 1 = 2)."""
    out = pair(sub.call("feature_statistics", tensor([[1, 2], [3, 4], [5, 0]])), "feature_statistics",
               "mu, sigma")
    expect_close(out[0], [3.0, 2.0], "mu", diagnoses=[([1.5, 3.5, 2.5], HINT_COV_AXIS)], shape=False)
    expect_close(out[1], [[4.0, -2.0], [-2.0, 4.0]], "sigma",
                 diagnoses=[([[8 / 3, -4 / 3], [-4 / 3, 8 / 3]], HINT_COV_N)])


# -- trace term ------------------------------------------------------------------------------------------

# For 2 x 2 matrices, tr(A^(1/2)) = sqrt(tr A + 2 sqrt(det A)) when A has non-negative eigenvalues.
# Sigma1 = [[2, 1], [1, 1]], Sigma2 = diag(1, 4): tr(Sigma1 Sigma2) = 6, det = 4, so the trace term is sqrt(10).
S1 = [[2.0, 1.0], [1.0, 1.0]]
S2 = [[1.0, 0.0], [0.0, 4.0]]


@register(TRACE, points=1)
def trace_two_by_two(sub):
    """tr((Sigma1 Sigma2)^(1/2)) = sqrt(10) for Sigma1 = [[2, 1], [1, 1]], Sigma2 = diag(1, 4)."""
    out = call_trace(sub, tensor(S1), tensor(S2))
    # sqrt(Sigma1) = [[3, 1], [1, 2]] / sqrt(5), so tr(sqrt(Sigma1) sqrt(Sigma2)) = (3 + 4) / sqrt(5)
    expect_scalar(out, math.sqrt(10), "trace_sqrt_product(Sigma1, Sigma2)", nan_hint=HINT_NAN,
                  diagnoses=[(7 / math.sqrt(5), HINT_SQRT_SQRT), (6.0, HINT_NO_SQRT)])


@register(TRACE, points=1)
def trace_singular(sub):
    """A rank-1 covariance (as from N < d samples): Sigma1 = [[1, 1], [1, 1]], Sigma2 = diag(1, 4) gives sqrt(5)."""
    out = call_trace(sub, tensor([[1.0, 1.0], [1.0, 1.0]]), tensor(S2))
    # tr(Sigma1 Sigma2) = 5 and det = 0, so the trace term is sqrt(5 + 0)
    expect_scalar(out, math.sqrt(5), "trace_sqrt_product of a singular Sigma1", nan_hint=HINT_NAN, rtol=1e-6,
                  diagnoses=[(1.5 * math.sqrt(2), HINT_SQRT_SQRT)])


# -- FID from statistics ---------------------------------------------------------------------------------


@register(FRECHET, points=1)
def frechet_one_dimensional(sub):
    """1-D Gaussians N(0, 4) and N(3, 1): (0 - 3)^2 + (2 - 1)^2 = 10."""
    out = sub.call("frechet_distance", tensor([0.0]), tensor([[4.0]]), tensor([3.0]), tensor([[1.0]]))
    expect_scalar(out, 10.0, "frechet_distance for N(0, 4) and N(3, 1)", nan_hint=HINT_NAN,
                  diagnoses=[(12.0, HINT_FACTOR_2), (1.0, HINT_NO_MEAN), (4.0, HINT_MEAN_NOT_SQUARED)])


@register(FRECHET, points=1)
def frechet_identical_and_shifted(sub):
    """Identical statistics give 0; a pure mean shift by (3, 4) gives ||delta mu||^2 = 25."""
    mu, sigma = tensor([1.0, 2.0]), tensor(S1)
    out = sub.call("frechet_distance", mu, sigma, mu, sigma)
    expect_scalar(out, 0.0, "frechet_distance of identical statistics", atol=1e-8, nan_hint=HINT_NAN,
                  diagnoses=[(3.0, HINT_FACTOR_2)])
    out = sub.call("frechet_distance", mu, sigma, tensor([4.0, 6.0]), sigma)
    expect_scalar(out, 25.0, "frechet_distance after a mean shift by (3, 4)", nan_hint=HINT_NAN,
                  diagnoses=[(28.0, HINT_FACTOR_2), (5.0, HINT_MEAN_NOT_SQUARED)])


@register(FRECHET, points=1)
def frechet_irrational(sub):
    """Equal means, Sigma1 = diag(2, 1), Sigma2 = diag(1, 3): 3 + 4 - 2 (sqrt 2 + sqrt 3) = 0.70747."""
    mu = tensor([0.0, 0.0])
    out = sub.call("frechet_distance", mu, tensor([[2.0, 0.0], [0.0, 1.0]]), mu, tensor([[1.0, 0.0], [0.0, 3.0]]))
    expect_scalar(out, 7 - 2 * (math.sqrt(2) + math.sqrt(3)), "frechet_distance for diag(2, 1) vs diag(1, 3)",
                  nan_hint=HINT_NAN, diagnoses=[(7 - (math.sqrt(2) + math.sqrt(3)), HINT_FACTOR_2)])


# -- FID from features -------------------------------------------------------------------------------------

# Stand-ins with simple, known behaviour (deliberately *not* the real statistics or distance): with them,
# fid_from_features is checked for how it composes its two parts, whatever your other functions do.


def standin_statistics(features):
    """(column means, second-moment matrix X^T X / N) of a float tensor (N, d), float64."""
    import torch

    rows = features.to(torch.float64)
    return rows.mean(dim=0), rows.T @ rows / rows.shape[0]


def standin_distance(mu1, sigma1, mu2, sigma2):
    """||mu1 - mu2||^2 + 10 tr(sigma1) + 100 tr(sigma2): tells the two arguments apart."""
    import torch

    return float(((mu1 - mu2) ** 2).sum() + 10 * torch.trace(sigma1) + 100 * torch.trace(sigma2))


HINT_SETS_SWAPPED = ("The two feature sets are swapped: the statistics of features1 go first, "
                     "distance(mu1, sigma1, mu2, sigma2).")
HINT_STANDINS_IGNORED = ("The statistics/distance arguments were not used: call the functions passed in "
                         "(use feature_statistics and frechet_distance only when they are None).")


@register(FID_FEATURES, points=1)
def fid_features_composition(sub):
    """With stand-ins: statistics (mean, X^T X / N) and distance ||dmu||^2 + 10 tr(s1) + 100 tr(s2) give 588.33."""
    from ganlab.grading.testing import Trusted

    x = tensor([[1, 2], [3, 4], [5, 0]])   # mean (3, 2), diag of X^T X / 3 = (35/3, 20/3): trace 55/3
    y = tensor([[0, 0], [2, 2]])           # mean (1, 1), diag of X^T X / 2 = (2, 2): trace 4
    out = sub.call("fid_from_features", x, y, statistics=Trusted("ganlab.checks.lab7.standin_statistics"),
                   distance=Trusted("ganlab.checks.lab7.standin_distance"))
    # ||(2, 1)||^2 + 10 * 55/3 + 100 * 4 = 5 + 183.33 + 400
    expect_scalar(out, 5 + 550 / 3 + 400, "fid_from_features(x, y, stand-in statistics, stand-in distance)",
                  diagnoses=[(5 + 40 + 5500 / 3, HINT_SETS_SWAPPED)])


# -- extrapolation -------------------------------------------------------------------------------------------


@register(EXTRAPOLATE, points=1)
def extrapolate_exact_line(sub):
    """Values 6, 5.5, 5.25 at N = 100, 200, 400 lie on 5 + 100 / N: (value_inf, slope) = (5, 100)."""
    out = pair(sub.call("extrapolate_to_infinite_n", [100, 200, 400], [6.0, 5.5, 5.25]),
               "extrapolate_to_infinite_n", "value_inf, slope")
    # a line in N through the same points has intercept 6.0357 and slope -0.0035714
    expect_scalar(out[0], 5.0, "value_inf", rtol=1e-6, diagnoses=[(6.035714285714286, HINT_EXTRAP_N),
                                                                 (100.0, HINT_EXTRAP_ORDER)])
    expect_scalar(out[1], 100.0, "slope", rtol=1e-6, diagnoses=[(5.0, HINT_EXTRAP_ORDER)])


# -- KID ------------------------------------------------------------------------------------------------------


@register(KID, points=1)
def kid_hand_worked(sub):
    """d = 1, x = {0, 1}, y = {0, 2}: k = (x y + 1)^3 gives MMD^2 = 1 + 1 - 2 * 30 / 4 = -13 (unbiased)."""
    out = sub.call("kernel_inception_distance", tensor([[0.0], [1.0]]), tensor([[0.0], [2.0]]))
    # with the diagonal kept: (1 + 8 + 2) / 4 + (1 + 125 + 2) / 4 - 15 = 19.75
    expect_scalar(out, -13.0, "kernel_inception_distance({0, 1}, {0, 2})", diagnoses=[(19.75, HINT_KID_BIASED)])
