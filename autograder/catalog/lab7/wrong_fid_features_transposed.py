"""FID from features with rows and columns swapped: statistics over samples instead of features."""
EXERCISE = "fid_from_features"
EXPECT = "wrong axis"


def fid_from_features(features1, features2):
    mu1, sigma1 = feature_statistics(features1.T)
    mu2, sigma2 = feature_statistics(features2.T)
    return frechet_distance(mu1, sigma1, mu2, sigma2)
