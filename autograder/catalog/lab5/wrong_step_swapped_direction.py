"""Input and target swapped in the step: G translates y into x and D is conditioned on y (the AtoB / BtoA direction
mix-up of the facades data, junyanz/pytorch-CycleGAN-and-pix2pix's --direction option, written into the step)."""
EXERCISE = "pix2pix_step"
EXPECT = "target in the condition's place"
EDIT = [("    y_fake = G(x)\n", "    y_fake = G(y)\n"),
        ("discriminator_loss(D(conditional_d_input(x, y)), D(conditional_d_input(x, y_fake.detach())))",
         "discriminator_loss(D(conditional_d_input(y, x)), D(conditional_d_input(y, y_fake.detach())))"),
        ("generator_loss(D(conditional_d_input(x, y_fake)), y_fake, y, lambda_l1)",
         "generator_loss(D(conditional_d_input(y, y_fake)), y_fake, x, lambda_l1)")]
