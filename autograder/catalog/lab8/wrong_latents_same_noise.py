"""The motion noise drawn once per video and repeated over the steps (one (B, noise_dim) draw expanded to T): the
RNN gets the same noise at every step (the issue's list), as when eps is drawn like z_C."""
EXERCISE = "MoCoGANGenerator"
EXPECT = "same noise at every step"
EDIT = [("        eps = torch.randn(batch, num_frames, self.noise_dim, generator=generator)",
         "        eps = torch.randn(batch, 1, self.noise_dim, generator=generator).expand(batch, num_frames, "
         "self.noise_dim)")]
