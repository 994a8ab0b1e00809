"""KID kernel with a fixed gamma = 1/2048 (Inception's pool dimension) instead of 1/d of the inputs at hand.

torch-fidelity and torchmetrics take gamma = 1 / features.shape[1]; code written for Inception features often
hard-codes 2048 (e.g. `(x @ y.T / 2048 + 1) ** 3`), which is wrong for any other extractor, such as this lab's 64-d one.
"""
EXERCISE = "kernel_inception_distance"
EXPECT = "not by a fixed 2048"
EDIT = [("m, n, d = x.shape[0], y.shape[0], x.shape[1]", "m, n, d = x.shape[0], y.shape[0], 2048")]
