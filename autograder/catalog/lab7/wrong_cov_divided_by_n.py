"""Covariance divided by N (the maximum-likelihood estimate, np.cov(..., bias=True)) instead of N - 1."""
EXERCISE = "feature_statistics"
EXPECT = "divided by N"
EDIT = [("sigma = centred.T @ centred / (x.shape[0] - 1)", "sigma = centred.T @ centred / x.shape[0]")]
