"""UNetDown keeps a bias on the blocks without a norm (bias=not normalize: a bias is only redundant before a norm),
the reading this project's first contract had: +576 on the 256 U-Net (64 + 512, the outermost and innermost down
convs), 54,414,531 instead of the reference implementation's 54,413,955 (junyanz/pytorch-CycleGAN-and-pix2pix and
eriklindernoren/PyTorch-GAN both build these convs without a bias)."""
EXERCISE = "UNetDown"
EXPECT = "no bias also with normalize=False"


class UNetDown(nn.Module):
    def __init__(self, in_channels, out_channels, normalize=True):
        super().__init__()
        layers = [nn.Conv2d(in_channels, out_channels, 4, stride=2, padding=1, bias=not normalize)]
        if normalize:
            layers.append(nn.BatchNorm2d(out_channels))
        layers.append(nn.LeakyReLU(0.2))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return self.block(x)
