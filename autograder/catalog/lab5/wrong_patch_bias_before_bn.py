"""Convolutions keep their default bias before batch norm (BN subtracts the mean, so the bias is dead weight): +896
parameters on the 256 PatchGAN (128 + 256 + 512), the count the issue gives; pytorch-CycleGAN-and-pix2pix sets
use_bias only for instance norm for this reason."""
EXERCISE = "PatchDiscriminator"
EXPECT = "wasted parameter"
EDIT = [("layers += [nn.Conv2d(width(n - 1), width(n), 4, stride=2, padding=1, bias=False),",
         "layers += [nn.Conv2d(width(n - 1), width(n), 4, stride=2, padding=1),"),
        ("nn.Conv2d(width(n_layers - 1), width(n_layers), 4, stride=1, padding=1, bias=False)",
         "nn.Conv2d(width(n_layers - 1), width(n_layers), 4, stride=1, padding=1)")]
