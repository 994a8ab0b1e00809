"""Generator with LeakyReLU(0.2) hidden activations, the DCGAN habit of eriklindernoren/PyTorch-GAN
implementations/gan/gan.py, where the text asks for ReLU (same shapes and parameter count)."""
EXERCISE = "Generator"
EXPECT = "LeakyReLU"
EDIT = [("            nn.Linear(latent_dim, hidden_dim), nn.ReLU(),\n            nn.Linear(hidden_dim, hidden_dim), nn.ReLU(),\n"
         "            nn.Linear(hidden_dim, hidden_dim), nn.ReLU(),\n",
         "            nn.Linear(latent_dim, hidden_dim), nn.LeakyReLU(0.2),\n            nn.Linear(hidden_dim, hidden_dim), "
         "nn.LeakyReLU(0.2),\n            nn.Linear(hidden_dim, hidden_dim), nn.LeakyReLU(0.2),\n")]
