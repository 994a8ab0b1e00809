"""Covariance divided by N (the maximum-likelihood estimate, np.cov(..., bias=True)) instead of N - 1."""
EXERCISE = "feature_statistics"
EXPECT = "divided by N"


def feature_statistics(features):
    x = features.double()
    mu = x.mean(dim=0)
    centred = x - mu
    return mu, centred.T @ centred / x.shape[0]
