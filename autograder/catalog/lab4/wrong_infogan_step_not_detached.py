"""InfoGAN's discriminator update on fakes that are not detached, so D's loss also backpropagates into the
generator: the CGAN step's missing .detach() (wrong_step_fake_not_detached) in the InfoGAN step, where a correct
step already sends two gradients into G (g_loss and the information loss)."""
EXERCISE = "infogan_step"
EXPECT = "detach"
EDIT = [("discriminator(x_fake.detach())        # no gradient into G from D's update",
         "discriminator(x_fake)"),
        ("    d_loss.backward()\n    opt_d.step()\n", "    d_loss.backward(retain_graph=True)\n    opt_d.step()\n")]
