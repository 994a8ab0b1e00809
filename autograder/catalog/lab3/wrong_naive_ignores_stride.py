"""Naive transposed convolution that places the kernel copies one pixel apart whatever the stride
(sizes computed with the stride, copies not)."""
EXERCISE = "conv_transpose2d_naive"
EXPECT = "stride"
EDIT = [("out[:, :, i * stride:i * stride + k_h, j * stride:j * stride + k_w] += copy",
         "out[:, :, i:i + k_h, j:j + k_w] += copy")]
