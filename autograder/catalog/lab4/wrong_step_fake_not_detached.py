"""The discriminator step uses the fakes without detach: its backward also runs through the generator."""
EXERCISE = "cgan_train_step"
EXPECT = "detach"
EDIT = [("discriminator(x_fake.detach(), y_fake)", "discriminator(x_fake, y_fake)"),
        ("    d_loss.backward()\n", "    d_loss.backward(retain_graph=True)\n")]
