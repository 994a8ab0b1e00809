"""FID from features with rows and columns swapped: statistics over samples instead of over features."""
EXERCISE = "fid_from_features"
EXPECT = "wrong axis"


def fid_from_features(features1, features2, statistics=None, distance=None):
    statistics = statistics or feature_statistics
    distance = distance or frechet_distance
    mu1, sigma1 = statistics(features1.T)
    mu2, sigma2 = statistics(features2.T)
    return float(distance(mu1, sigma1, mu2, sigma2))
