"""G's GAN term with the "fake" target 0, the question of junyanz/pytorch-CycleGAN-and-pix2pix issue #1001 ("Shouldnt
that be set to False instead?"): G then learns to look fake."""
EXERCISE = "generator_loss"
EXPECT = "target 0"
EDIT = [("F.binary_cross_entropy_with_logits(d_fake_logits, torch.ones_like(d_fake_logits))",
         "F.binary_cross_entropy_with_logits(d_fake_logits, torch.zeros_like(d_fake_logits))")]
