"""Initialisation drawing convolution weights with std 0.2 (a misread 0.02)."""
EXERCISE = "init_weights"
EXPECT = "std 0.02"
EDIT = [("nn.init.normal_(module.weight, 0.0, 0.02)", "nn.init.normal_(module.weight, 0.0, 0.2)")]
