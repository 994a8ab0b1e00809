"""KID with the biased MMD^2 (V-statistic): the diagonal k(x_i, x_i) is kept and means are over all pairs."""
EXERCISE = "kernel_inception_distance"
EXPECT = "biased MMD^2"
EDIT = [("within_x = (k_xx.sum() - k_xx.diagonal().sum()) / (m * (m - 1))", "within_x = k_xx.mean()"),
        ("within_y = (k_yy.sum() - k_yy.diagonal().sum()) / (n * (n - 1))", "within_y = k_yy.mean()")]
