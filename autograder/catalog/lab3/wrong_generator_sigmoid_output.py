"""Generator whose last transposed convolution is followed by a Sigmoid (range (0, 1)) instead of Tanh."""
EXERCISE = "Generator"
EXPECT = "Sigmoid"
EDIT = [("nn.Tanh()]", "nn.Sigmoid()]")]
