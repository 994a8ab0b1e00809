"""UNetDown keeps the convolution's bias when batch norm follows (nn.Conv2d's default bias=True): a parameter BN
cancels; on the 256 U-Net this adds 2,432 parameters on the down path (128 + 256 + 4 x 512), not the +64 the issue
states."""
EXERCISE = "UNetDown"
EXPECT = "wasted parameter"
EDIT = [("padding=1, bias=not normalize)]", "padding=1)]")]
