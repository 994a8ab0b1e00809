"""Naive transposed convolution that flips the kernel (mixing it up with a convolution written as a correlation)."""
EXERCISE = "conv_transpose2d_naive"
EXPECT = "flipped"
EDIT = [('copy = torch.einsum("bc,cokl->bokl", x[:, :, i, j], weight)',
         'copy = torch.einsum("bc,cokl->bokl", x[:, :, i, j], weight.flip(2, 3))')]
