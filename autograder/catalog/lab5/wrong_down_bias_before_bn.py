"""UNetDown keeps nn.Conv2d's default bias=True (also before batch norm, which subtracts the channel mean and so
cancels any bias): dead parameters, +3,008 on the 256 U-Net's down path (2,432 before its six batch norms, 576 on
the two blocks without a norm); pytorch-CycleGAN-and-pix2pix sets use_bias only for instance norm for this reason."""
EXERCISE = "UNetDown"
EXPECT = "wasted parameter"


class UNetDown(nn.Module):
    def __init__(self, in_channels, out_channels, normalize=True):
        super().__init__()
        layers = [nn.Conv2d(in_channels, out_channels, 4, stride=2, padding=1)]
        if normalize:
            layers.append(nn.BatchNorm2d(out_channels))
        layers.append(nn.LeakyReLU(0.2))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return self.block(x)
