"""Training step whose discriminator step uses the fake batch without detach (gradients flow into G)."""
EXERCISE = "train_step"
EXPECT = "detach the fake batch"
EDIT = [("x_fake = generator(noise_batches[i]).detach()", "x_fake = generator(noise_batches[i])")]
