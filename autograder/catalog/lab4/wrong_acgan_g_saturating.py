"""G maximises L_C - L_S taken literally: the source term is -BCE(source_fake, 0) = log(1 - D), the saturating loss."""
EXERCISE = "acgan_g_loss"
EXPECT = "saturating"
EDIT = [("source = F.binary_cross_entropy_with_logits(source_fake, torch.ones_like(source_fake))",
         "source = -F.binary_cross_entropy_with_logits(source_fake, torch.zeros_like(source_fake))")]
