"""Training step that draws fresh noise for the generator's step (as e.g. znxlwm/pytorch-MNIST-CelebA-GAN-DCGAN's
pytorch_CelebA_DCGAN.py does, drawing z_ again before the G update), while the docstring says z is used for both
steps: the generator is trained on other fakes than the ones the discriminator just judged."""
EXERCISE = "train_step"
EXPECT = "same z"
EDIT = [("    logits_fake = discriminator(x_fake)\n", "    logits_fake = discriminator(generator(torch.randn_like(z)))\n")]
