"""Padding taken off the receptive field at each layer (r = (r - 1) * stride + kernel - 2 * padding): 24 for the
PatchGAN, the "24 x 24 patches due to padw = 1" of junyanz/pytorch-CycleGAN-and-pix2pix pull request #1535."""
EXERCISE = "conv_stack_geometry"
EXPECT = "does not depend on the padding"
EDIT = [("    return size, field\n",
         "    field = 1\n    for kernel, stride, padding in reversed(list(layers)):\n"
         "        field = (field - 1) * stride + kernel - 2 * padding\n    return size, field\n")]
