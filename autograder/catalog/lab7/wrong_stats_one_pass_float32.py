"""One-pass statistics in the features' own dtype: sigma = (X^T X - N mu mu^T) / (N - 1), accumulated in float32.

torchmetrics' FrechetInceptionDistance (src/torchmetrics/image/fid.py) keeps running sums of x and of x^T x and
forms the covariance at the end; it does so in float64. Adapted here without the cast, as students do, the
subtraction of two large numbers loses most digits when the features have a large mean.
"""
EXERCISE = "feature_statistics"
EXPECT = "one-pass formula"


def feature_statistics(features):
    n = features.shape[0]
    total = features.sum(dim=0)
    second = features.T @ features
    mu = total / n
    sigma = (second - n * mu.unsqueeze(1) @ mu.unsqueeze(0)) / (n - 1)
    return mu.double(), sigma.double()
