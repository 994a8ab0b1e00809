"""lambda_l1 multiplies the GAN term instead of the L1 term (the weight put on the wrong side of the sum)."""
EXERCISE = "generator_loss"
EXPECT = "weighs the L1 term"
EDIT = [("return loss_gan + lambda_l1 * loss_l1, loss_gan, loss_l1", "return lambda_l1 * loss_gan + loss_l1, loss_gan, loss_l1")]
