"""Training step that never zeroes gradients: each backward adds to what earlier calls left in .grad."""
EXERCISE = "train_step"
EXPECT = "zero_grad"
EDIT = [("    opt_d.zero_grad()\n", ""), ("    opt_g.zero_grad()\n", "")]
