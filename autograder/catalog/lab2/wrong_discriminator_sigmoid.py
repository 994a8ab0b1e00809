"""Discriminator ending with nn.Sigmoid, as in eriklindernoren/PyTorch-GAN implementations/gan/gan.py (paired there
with nn.BCELoss): it returns probabilities where the losses of this lab take logits."""
EXERCISE = "Discriminator"
EXPECT = "ends with a sigmoid"
EDIT = [("            nn.Linear(hidden_dim, 1),\n", "            nn.Linear(hidden_dim, 1), nn.Sigmoid(),\n")]
