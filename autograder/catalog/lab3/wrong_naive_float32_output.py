"""Naive transposed convolution that allocates its output with torch.zeros(...) (default float32): float64
inputs come back as float32, against the docstring (the dtype of x)."""
EXERCISE = "conv_transpose2d_naive"
EXPECT = "dtype of x"
EDIT = [("out = x.new_zeros(batch, c_out, full_h, full_w)", "out = torch.zeros(batch, c_out, full_h, full_w)")]
