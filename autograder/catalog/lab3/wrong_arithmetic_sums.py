"""Latent arithmetic on sums instead of means: a group of three latents weighs three times as much."""
EXERCISE = "latent_arithmetic"
EXPECT = "mean over dim 0"
EDIT = [("return z_a.mean(dim=0) - z_b.mean(dim=0) + z_c.mean(dim=0)",
         "return z_a.sum(dim=0) - z_b.sum(dim=0) + z_c.sum(dim=0)")]
