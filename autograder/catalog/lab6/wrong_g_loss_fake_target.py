"""The generator regresses D's scores on its fakes to the FAKE target 0, copying the discriminator's fake term (the
label mix-up of GAN ports; the LSGAN paper's c is the value G wants D to believe, 1 here)."""
EXERCISE = "lsgan_generator_loss"
EXPECT = "scored as REAL"
EDIT = [("return torch.mean((d_fake - 1) ** 2)", "return torch.mean(d_fake ** 2)")]
