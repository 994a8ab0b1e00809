"""Output-size formula with true division: 38 with kernel 5, stride 3, padding 2 gives 13.33 instead of 13."""
EXERCISE = "conv_output_size"
EXPECT = "floor division"
EDIT = [("return (size + 2 * padding - span) // stride + 1", "return (size + 2 * padding - span) / stride + 1")]
