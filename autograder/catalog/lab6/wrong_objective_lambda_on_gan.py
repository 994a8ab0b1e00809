"""lambda applied to the GAN terms as well (loss = lambda * (gan_g + gan_f) + cycle + identity): the weight put on
the whole objective, where eq. 3 weighs only the cycle term (and the identity term builds on it)."""
EXERCISE = "generator_objective"
EXPECT = "lambda multiplies the GAN terms"
EDIT = [("loss = gan_g + gan_f + cycle + identity", "loss = lambda_cyc * (gan_g + gan_f) + cycle + identity")]
