"""ConvTranspose3d's size without output_padding (the formula of the docs' first line only)."""
EXERCISE = "conv3d_output_shape"
EXPECT = "output_padding"
EDIT = [("            size = (n - 1) * s - 2 * p + k + op", "            size = (n - 1) * s - 2 * p + k")]
