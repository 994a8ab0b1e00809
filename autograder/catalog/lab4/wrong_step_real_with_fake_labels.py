"""The real batch is judged with the generator's labels (mafda/generative_adversarial_networks_101 issue #2 and
eriklindernoren/Keras-GAN issue #105 discuss which labels go where): real pairs must be (x_real, y_real)."""
EXERCISE = "cgan_train_step"
EXPECT = "y_real"
EDIT = [("real_logits = discriminator(x_real, y_real)", "real_logits = discriminator(x_real, y_fake)")]
