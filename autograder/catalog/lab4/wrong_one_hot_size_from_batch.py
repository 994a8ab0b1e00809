"""One-hot code whose width comes from the batch: F.one_hot(y) without num_classes is max(y) + 1 wide, so a batch
that lacks the last class gives a code of the wrong size (a one-hot of the wrong size, cf. the conditioning
helpers of znxlwm/pytorch-MNIST-CelebA-cGAN-cDCGAN and YixinChen-AI/CVAE-GAN-zoos-PyTorch-Beginner issue #8)."""
EXERCISE = "one_hot"
EXPECT = "num_classes to F.one_hot"
EDIT = [("return F.one_hot(y.long(), num_classes).float()", "return F.one_hot(y.long()).float()")]
