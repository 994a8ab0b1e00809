"""The RNN's initial state set to zeros instead of drawn from N(0, I): DLHacks/mocogan's GRU.initHidden starts from
torch.zeros, so every video's motion starts from the same state (the lab draws h0 ~ N(0, I), as MoCoGAN's
sampling does)."""
EXERCISE = "MoCoGANGenerator"
EXPECT = "N(0, I)"
EDIT = [("        h0 = torch.randn(batch, self.motion_dim, generator=generator)",
         "        h0 = torch.zeros(batch, self.motion_dim)")]
