"""The symmetric eigenvalue route without clipping: sqrt of -1e-15 rounding gives NaN when N < d."""
EXERCISE = "trace_sqrt_product"
EXPECT = "clip them at 0"
EDIT = [("return float(eigenvalues.clamp(min=0).sqrt().sum())", "return float(eigenvalues.sqrt().sum())")]
