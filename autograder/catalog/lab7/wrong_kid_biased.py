"""KID with the biased MMD^2 (V-statistic): the diagonal k(x_i, x_i) is kept and means are over all pairs."""
EXERCISE = "kernel_inception_distance"
EXPECT = "biased MMD^2"


def kernel_inception_distance(features1, features2):
    x, y = features1.double(), features2.double()
    d = x.shape[1]
    return float(((x @ x.T / d + 1) ** 3).mean() + ((y @ y.T / d + 1) ** 3).mean()
                 - 2 * ((x @ y.T / d + 1) ** 3).mean())
