"""Output size that ignores dilation (span = kernel_size), the formula most DCGAN tutorials quote, where dilation
is always 1 (Dumoulin & Visin's guide gives the dilated footprint d (k - 1) + 1)."""
EXERCISE = "conv_output_size"
EXPECT = "Dilation"
EDIT = [("span = dilation * (kernel_size - 1) + 1", "span = kernel_size")]
