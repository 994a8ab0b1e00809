"""FID from features with rows and columns swapped: statistics over samples instead of over features."""
EXERCISE = "fid_from_features"
EXPECT = "wrong axis"
EDIT = [("mu1, sigma1 = statistics(features1)", "mu1, sigma1 = statistics(features1.T)"),
        ("mu2, sigma2 = statistics(features2)", "mu2, sigma2 = statistics(features2.T)")]
