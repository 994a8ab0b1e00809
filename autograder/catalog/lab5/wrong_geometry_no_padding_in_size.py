"""Output size without the padding, (n - kernel) // stride + 1 (the valid-convolution formula of many tutorials)."""
EXERCISE = "conv_stack_geometry"
EXPECT = "both sides"
EDIT = [("size = (size + 2 * padding - kernel) // stride + 1", "size = (size - kernel) // stride + 1")]
