"""Training step whose discriminator loss uses the fakes without detach: its backward also runs through the
generator (wasted work, and gradients pile up in the generator's .grad)."""
EXERCISE = "train_step"
EXPECT = "detach"
EDIT = [("discriminator(x_fake.detach())", "discriminator(x_fake)"),
        ("    d_loss.backward()\n", "    d_loss.backward(retain_graph=True)\n")]
