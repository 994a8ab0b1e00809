"""nn.BatchNorm2d(C, 0.8): 0.8 is eps, not momentum (eriklindernoren/PyTorch-GAN issue #116, in its InfoGAN, ACGAN and
CGAN-style generators)."""
EXERCISE = "ConditionalGenerator"
EXPECT = "eps=0.8"
EDIT = [("nn.BatchNorm2d(channels), nn.ReLU()]", "nn.BatchNorm2d(channels, 0.8), nn.ReLU()]")]
