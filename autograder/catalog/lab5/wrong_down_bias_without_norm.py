"""UNetDown keeps a bias on the blocks without a norm (bias=not normalize: a bias is only redundant before a norm),
the reading this project's first contract had: +576 on the 256 U-Net (64 + 512, the outermost and innermost down
convs), 54,414,531 instead of the reference implementation's 54,413,955 (junyanz/pytorch-CycleGAN-and-pix2pix and
eriklindernoren/PyTorch-GAN both build these convs without a bias)."""
EXERCISE = "UNetDown"
EXPECT = "no bias also with normalize=False"

EDIT = [("padding=1, bias=False)]", "padding=1, bias=not normalize)]")]
