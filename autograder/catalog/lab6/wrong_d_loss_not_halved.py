"""D's loss not halved: the plain sum of the real and fake terms, where CycleGAN divides D's objective by 2 to slow D
down relative to G (junyanz/pytorch-CycleGAN-and-pix2pix issue #242 "Why did you only multiply Discriminator loss by
0.5?", eriklindernoren/Keras-GAN issue #250)."""
EXERCISE = "lsgan_discriminator_loss"
EXPECT = "not halved"
EDIT = [("return 0.5 * (torch.mean((d_real - 1) ** 2) + torch.mean(d_fake ** 2))",
         "return torch.mean((d_real - 1) ** 2) + torch.mean(d_fake ** 2)")]
