"""Initialisation that also draws nn.Linear weights from N(0, 0.02), as DCGAN variants with a linear projection of z
do (their weights_init lists Linear next to the convolutions), while the docstring leaves other modules alone."""
EXERCISE = "init_weights"
EXPECT = "leave alone"
EDIT = [("isinstance(module, (nn.Conv2d, nn.ConvTranspose2d))", "isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear))")]
