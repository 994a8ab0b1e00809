"""Naive transposed convolution that assumes a square kernel (k = weight.shape[-1] for rows and columns), as
most DCGAN-only code can (every kernel there is 4 x 4); the docstring allows (k_h, k_w)."""
EXERCISE = "conv_transpose2d_naive"
EXPECT = "not be square"
EDIT = [("_, c_out, k_h, k_w = weight.shape", "_, c_out, _, k_w = weight.shape\n    k_h = k_w")]
