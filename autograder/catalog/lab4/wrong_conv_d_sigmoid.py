"""A Sigmoid at the end of the conditional discriminator (the logits-based loss then applies a second sigmoid), as in
many public cDCGANs (znxlwm/pytorch-MNIST-CelebA-cGAN-cDCGAN's discriminator ends with F.sigmoid)."""
EXERCISE = "ConditionalDiscriminator"
EXPECT = "Sigmoid"
EDIT = [("layers += [nn.Conv2d(channels, 1, 4, 1, 0)]", "layers += [nn.Conv2d(channels, 1, 4, 1, 0), nn.Sigmoid()]")]
