"""Discriminator written with nn.LeakyReLU(True), meaning inplace=True, which sets negative_slope=True = 1.0:
every "activation" is the identity (PantoMatrix/PantoMatrix issue #52: "nn.LeakyReLU(True) should be
nn.LeakyReLU(inplace=True)")."""
EXERCISE = "Discriminator"
EXPECT = "slope"
EDIT = [("layers = [nn.Conv2d(channels, base_channels, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True)]",
         "layers = [nn.Conv2d(channels, base_channels, 4, 2, 1, bias=False), nn.LeakyReLU(True)]"),
        ("                       nn.LeakyReLU(0.2, True)]", "                       nn.LeakyReLU(True)]")]
