"""nn.LeakyReLU() with PyTorch's default slope 0.01 instead of the text's 0.2."""
EXERCISE = "ConditionalMLPGenerator"
EXPECT = "slope"
EDIT = [("nn.Linear(latent_dim + num_classes, hidden_dim), nn.LeakyReLU(0.2),",
         "nn.Linear(latent_dim + num_classes, hidden_dim), nn.LeakyReLU(),")]
