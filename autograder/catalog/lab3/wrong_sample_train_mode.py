"""Sampling under no_grad but in training mode: batch norm uses the batch's statistics and updates its running ones."""
EXERCISE = "sample"
EXPECT = "eval()"
EDIT = [("    generator.eval()\n", "")]
