"""Training step that never calls zero_grad(): gradients accumulate across the k D steps and across calls."""
EXERCISE = "train_step"
EXPECT = "zero_grad()"
EDIT = [("        opt_d.zero_grad()\n", ""), ("    opt_g.zero_grad()\n", "")]
