"""A Sigmoid at D's output while the losses use binary_cross_entropy_with_logits (a sigmoid applied twice: the loss
can never go below log(1 + e^-1)); eriklindernoren/PyTorch-GAN issue #102 suggests adding "a sigmoid layer in the
discriminator" to use a BCE loss."""
EXERCISE = "PatchDiscriminator"
EXPECT = "Sigmoid"
EDIT = [("nn.Conv2d(width(n_layers), 1, 4, stride=1, padding=1)]", "nn.Conv2d(width(n_layers), 1, 4, stride=1, padding=1), nn.Sigmoid()]")]
