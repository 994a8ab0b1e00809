"""The fakes are judged in D's step with the real batch's labels, not the ones given to the generator (the
mismatch of eriklindernoren/Keras-GAN issue #105): the pair (G(z, y_fake), y_real) is not a fake of class y_real."""
EXERCISE = "cgan_train_step"
EXPECT = "given to the generator"
EDIT = [("fake_logits = discriminator(x_fake.detach(), y_fake)", "fake_logits = discriminator(x_fake.detach(), y_real)")]
