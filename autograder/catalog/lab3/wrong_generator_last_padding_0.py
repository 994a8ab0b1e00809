"""Generator whose last layer has padding 0 instead of 1: (31 * 2) + 4 = 66, so images come out 66 x 66."""
EXERCISE = "Generator"
EXPECT = "padding 1"
EDIT = [("nn.ConvTranspose2d(base_channels, channels, 4, 2, 1, bias=False)",
         "nn.ConvTranspose2d(base_channels, channels, 4, 2, 0, bias=False)")]
