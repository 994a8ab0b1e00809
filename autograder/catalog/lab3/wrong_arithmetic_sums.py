"""Latent arithmetic on sums instead of means: a group of three latents weighs three times as much."""
EXERCISE = "latent_arithmetic"
EXPECT = "mean over dim 0"


def latent_arithmetic(z_a, z_b, z_c):
    return z_a.sum(dim=0) - z_b.sum(dim=0) + z_c.sum(dim=0)
