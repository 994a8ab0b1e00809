"""Initialisation that sets only the convolutions and leaves batch norm at PyTorch's defaults (weight 1, bias 0)."""
EXERCISE = "init_weights"
EXPECT = "N(1, 0.02)"
EDIT = [("""    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
""", "")]
