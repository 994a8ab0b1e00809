"""Generator whose last layer is the transposed convolution alone: no Tanh, so outputs leave [-1, 1]."""
EXERCISE = "Generator"
EXPECT = "nn.Tanh()"
EDIT = [("nn.ConvTranspose2d(base_channels, channels, 4, 2, 1, bias=False), nn.Tanh()]",
         "nn.ConvTranspose2d(base_channels, channels, 4, 2, 1, bias=False)]")]
