"""UNetDown keeps nn.Conv2d's default bias=True (also before batch norm, which subtracts the channel mean and so
cancels any bias): dead parameters, +3,008 on the 256 U-Net's down path (2,432 before its six batch norms, 576 on
the two blocks without a norm); pytorch-CycleGAN-and-pix2pix sets use_bias only for instance norm for this reason."""
EXERCISE = "UNetDown"
EXPECT = "wasted parameter"

EDIT = [("padding=1, bias=False)]", "padding=1)]")]
