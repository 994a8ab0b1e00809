"""D's loss not halved: BCE(real, 1) + BCE(fake, 0), the plain GAN objective, where pix2pix divides it by 2 to slow D
down relative to G (junyanz/pytorch-CycleGAN-and-pix2pix issues #242 and #720 ask where the 0.5 comes from)."""
EXERCISE = "discriminator_loss"
EXPECT = "not halved"
EDIT = [("return 0.5 * (real + fake)", "return real + fake")]
