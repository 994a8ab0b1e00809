"""WGAN weight clipping applied to the generator's parameters instead of the critic's."""
EXERCISE = "train_step"
EXPECT = "generator's weights were clipped"
EDIT = [("for param in discriminator.parameters():", "for param in generator.parameters():")]
