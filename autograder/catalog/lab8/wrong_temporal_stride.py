"""Stride 2 and padding 1 in time too (Conv3d(4, 2, 1) as in DLHacks/mocogan's Discriminator_V and VGAN's
discriminator): a temporal stride that halves T where MoCoGAN's video discriminator keeps stride 1 in time."""
EXERCISE = "VideoDiscriminator"
EXPECT = "temporal stride"
EDIT = [("        layers = [nn.Conv3d(channels, ndf, 4, (1, 2, 2), (0, 1, 1)), nn.LeakyReLU(0.2)]",
         "        layers = [nn.Conv3d(channels, ndf, 4, 2, (0, 1, 1)), nn.LeakyReLU(0.2)]")]
