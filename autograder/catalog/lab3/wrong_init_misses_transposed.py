"""Initialisation that matches nn.Conv2d only, so the generator's ConvTranspose2d layers keep PyTorch's default
(Kaiming-uniform) weights: an isinstance check written for the discriminator and reused for the generator."""
EXERCISE = "init_weights"
EXPECT = "ConvTranspose2d"
EDIT = [("isinstance(module, (nn.Conv2d, nn.ConvTranspose2d))", "isinstance(module, nn.Conv2d)")]
