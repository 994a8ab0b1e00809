"""Generator whose last layer has padding 2: 31 * 2 - 4 + 4 = 62, so images come out 62 x 62."""
EXERCISE = "Generator"
EXPECT = "padding 1"
EDIT = [("nn.ConvTranspose2d(base_channels, channels, 4, 2, 1, bias=False)",
         "nn.ConvTranspose2d(base_channels, channels, 4, 2, 2, bias=False)")]
