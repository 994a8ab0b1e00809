"""fid_from_features returns whatever distance returns: a 0-d tensor when the distance gives one."""
EXERCISE = "fid_from_features"
EXPECT = "Python float"
EDIT = [("return float(distance(mu1, sigma1, mu2, sigma2))", "return distance(mu1, sigma1, mu2, sigma2)")]
