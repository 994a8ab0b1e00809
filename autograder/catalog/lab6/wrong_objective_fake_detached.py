"""The fakes detached before D judges them in the generators' objective, copied from the D step, so the GAN terms
give G and F no gradient (only the cycle and identity terms train them): nikhilsinghmus/image2reverb issue #37
("fake_spec.detach() in Generator training step", confirmed as a bug), wangle53/CSA-CDGAN issue #5, and
junyanz/pytorch-CycleGAN-and-pix2pix issue #916 asking whether both steps may detach."""
EXERCISE = "generator_objective"
EXPECT = "detached before the discriminators"
EDIT = [("gan_g = lsgan_generator_loss(D_Y(y_fake))", "gan_g = lsgan_generator_loss(D_Y(y_fake.detach()))"),
        ("gan_f = lsgan_generator_loss(D_X(x_fake))", "gan_f = lsgan_generator_loss(D_X(x_fake.detach()))")]
