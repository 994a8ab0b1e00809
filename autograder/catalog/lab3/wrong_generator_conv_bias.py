"""Generator whose hidden transposed convolutions keep PyTorch's default bias=True before batch norm (many DCGAN
ports drop the reference's bias=False): the bias is removed again by the batch norm's mean subtraction, so the
parameter count and the structure differ from the text while the images look the same."""
EXERCISE = "Generator"
EXPECT = "bias"
EDIT = [("nn.ConvTranspose2d(latent_dim, width, 4, 1, 0, bias=False)", "nn.ConvTranspose2d(latent_dim, width, 4, 1, 0)"),
        ("nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False)", "nn.ConvTranspose2d(width, width // 2, 4, 2, 1)")]
