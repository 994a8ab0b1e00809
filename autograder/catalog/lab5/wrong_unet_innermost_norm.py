"""Batch norm in the innermost (bottleneck) block: at 256 x 256 with batch 1 its map is 1 x 1 and BN zeroes it, or
raises in training mode (junyanz/pytorch-CycleGAN-and-pix2pix issue #60, "Forgot to add norm layer in innermost",
and the pix2pix errata)."""
EXERCISE = "UNetGenerator"
EXPECT = "innermost"
EDIT = [("normalize=0 < i < num_downs - 1", "normalize=i > 0")]
