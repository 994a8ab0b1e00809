"""Each generator judged by the other domain's discriminator (D_X on G(x), D_Y on F(y)): the A/B naming mix-up of
CycleGAN ports (junyanz/pytorch-CycleGAN-and-pix2pix names D_A the judge of B images, a frequent source of
confusion)."""
EXERCISE = "generator_objective"
EXPECT = "wrong domain"
EDIT = [("gan_g = lsgan_generator_loss(D_Y(y_fake))", "gan_g = lsgan_generator_loss(D_X(y_fake))"),
        ("gan_f = lsgan_generator_loss(D_X(x_fake))", "gan_f = lsgan_generator_loss(D_Y(x_fake))")]
