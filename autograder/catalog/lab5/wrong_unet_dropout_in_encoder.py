"""Dropout in the encoder instead of the decoder: the innermost down blocks' outputs are dropped (as HealthML/
active-segmentation pull request #90 adds "dropout after each encoding block" to its U-Net), and the up blocks get
none."""
EXERCISE = "UNetGenerator"
EXPECT = "decoder only"
EDIT = [("            p = dropout if k < min(num_dropout, num_downs - 1) else 0.0\n",
         "            p = 0.0\n"),
        ("            h = down(h)\n",
         "            h = down(h)\n            if len(skips) >= len(self.downs) - self.num_dropout:\n"
         "                h = nn.functional.dropout(h, self.dropout, self.training)\n"),
        ("        self.in_channels, self.num_downs = in_channels, num_downs\n",
         "        self.in_channels, self.num_downs = in_channels, num_downs\n"
         "        self.num_dropout, self.dropout = min(num_dropout, num_downs - 1), dropout\n")]
