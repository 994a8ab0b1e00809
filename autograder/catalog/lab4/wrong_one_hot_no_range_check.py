"""One-hot code without the range check: an off-by-one label (labels 1..K, as with randint(0, 10) vs (0, 9) in
znxlwm/tensorflow-MNIST-cGAN-cDCGAN issue #1) is not reported as the docstring's ValueError."""
EXERCISE = "one_hot"
EXPECT = "ValueError"
EDIT = [("    if len(y) and (int(y.min()) < 0 or int(y.max()) >= num_classes):\n"
         "        raise ValueError(f\"labels must lie in 0..{num_classes - 1}\")\n", "")]
