"""Instance norm with learned affine parameters (nn.InstanceNorm2d(C, affine=True)), as Zhaoyi-Yan/Shift-Net_pytorch
pull request #47 keeps on purpose and wtjiang98/PSGAN issue #31 asks about; the CycleGAN reference uses affine=False
(junyanz/pytorch-CycleGAN-and-pix2pix pull request #145: "since we are using affine=False, there exist no weights")."""
EXERCISE = "ResidualBlock"
EXPECT = "affine"
EDIT = [("nn.InstanceNorm2d(channels), nn.ReLU()", "nn.InstanceNorm2d(channels, affine=True), nn.ReLU()"),
        ("nn.InstanceNorm2d(channels),\n", "nn.InstanceNorm2d(channels, affine=True),\n")]
