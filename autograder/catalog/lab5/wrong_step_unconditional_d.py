"""An unconditional discriminator in the step: D judges the image alone (y, then G(x)), never the pair with its input x,
so it cannot tell whether an output fits its input (the mistake reported in tdeboissiere/DeepLearningImplementations
issue #73: "Your Discriminator takes only one image as input but in pix2pix paper it has two inputs")."""
EXERCISE = "pix2pix_step"
EXPECT = "given the image alone"
EDIT = [("discriminator_loss(D(conditional_d_input(x, y)), D(conditional_d_input(x, y_fake.detach())))",
         "discriminator_loss(D(y), D(y_fake.detach()))"),
        ("generator_loss(D(conditional_d_input(x, y_fake)), y_fake, y, lambda_l1)",
         "generator_loss(D(y_fake), y_fake, y, lambda_l1)")]
