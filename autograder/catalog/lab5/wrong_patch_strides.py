"""Stride 2 in the (n_layers + 1)-th convolution as well ("every conv halves"): at 256 the map is 15 x 15 and the
receptive field 94 instead of 30 x 30 and 70; the strides are what fixes the 70 x 70 patch (phillipi/pix2pix issues #25 and
#49 on how the 30 x 30 map and the field follow from them)."""
EXERCISE = "PatchDiscriminator"
EXPECT = "strides differ"
EDIT = [("nn.Conv2d(width(n_layers - 1), width(n_layers), 4, stride=1, padding=1, bias=False)",
         "nn.Conv2d(width(n_layers - 1), width(n_layers), 4, stride=2, padding=1, bias=False)")]
