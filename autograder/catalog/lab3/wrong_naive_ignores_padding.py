"""Naive transposed convolution that never crops: padding is ignored, the full (H - 1) * s + k output is returned."""
EXERCISE = "conv_transpose2d_naive"
EXPECT = "crops"
EDIT = [("    out = out[:, :, padding:full_h - padding, padding:full_w - padding]\n", "")]
