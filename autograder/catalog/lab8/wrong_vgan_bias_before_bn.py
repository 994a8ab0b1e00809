"""Biases on the transposed convolutions that feed a batch norm: yhjo09/videogan-pytorch's Generator keeps
PyTorch's default bias=True on every ConvTranspose before its BatchNorm (wasted parameters, and in eval mode a
shift the text's network does not have)."""
EXERCISE = "VGANGenerator"
EXPECT = "bias"
EDIT = [("        fg = [nn.ConvTranspose3d(latent_dim, width, (2, 4, 4), 1, 0, bias=False)",
         "        fg = [nn.ConvTranspose3d(latent_dim, width, (2, 4, 4), 1, 0, bias=True)")]
