"""The sample grid is drawn in training mode (no generator.eval()): batch norm uses the grid's own statistics and
updates its running averages (eriklindernoren/PyTorch-GAN issue #84, second comment: sample_image() never switches to
eval mode)."""
EXERCISE = "sample_class_grid"
EXPECT = "training mode"
EDIT = [("    generator.eval()\n", "")]
