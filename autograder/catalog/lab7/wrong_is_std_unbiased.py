"""The spread over splits as the unbiased standard deviation (torch's default): sqrt(splits / (splits - 1)) too big.

torchmetrics' InceptionScore returns kl.std(), torch's unbiased default, where the original code used np.std.
"""
EXERCISE = "inception_score"
EXPECT = "population standard deviation"
EDIT = [("float(scores.std(unbiased=False))", "float(scores.std())")]
