"""The vanilla GAN's optimal discriminator p_data / (p_data + p_model) (Goodfellow et al. 2014, prop. 1) returned for
LSGAN whatever the targets a and b: it coincides with the LSGAN minimiser only for a = 0, b = 1, which is why the
mix-up survives a check with the defaults (the LSGAN paper itself codes the targets as a = -1, b = 1)."""
EXERCISE = "lsgan_optimal_discriminator"
EXPECT = "vanilla GAN"
EDIT = [("return (b * p_data + a * p_model) / total", "return p_data / total")]
