"""One interpolation weight for the whole batch, torch.rand(1), where WGAN-GP draws one per sample."""
EXERCISE = "gradient_penalty"
EXPECT = "same interpolation weight"
EDIT = [("eps = torch.rand(x_real.shape[0], 1, device=x_real.device, dtype=x_real.dtype)",
         "eps = torch.rand(1, device=x_real.device, dtype=x_real.dtype)")]
