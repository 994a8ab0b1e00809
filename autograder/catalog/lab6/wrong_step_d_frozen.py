"""The discriminators frozen for the G update and never unfrozen (set_requires_grad(..., False) without the call that
restores True before backward_D, the order junyanz/pytorch-CycleGAN-and-pix2pix's optimize_parameters gets right):
the D step then has nothing to train."""
EXERCISE = "cyclegan_step"
EXPECT = "restore requires_grad"
EDIT = [("        for p in discriminators:\n            p.requires_grad_(True)\n", "        pass\n")]
