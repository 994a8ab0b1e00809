"""The content code drawn afresh for every frame, (B, T, content_dim), like per-frame noise of an image GAN: the
issue's first listed mistake, and what a frame-by-frame reading of MoCoGAN's z(t) = [z_C, z_M(t)] gives when z_C is
drawn inside the loop over t; the video then changes identity from frame to frame."""
EXERCISE = "MoCoGANGenerator"
EXPECT = "changes over the frames"
EDIT = [("        z_content = torch.randn(batch, self.content_dim, generator=generator)   # once per video\n"
         "        parts = [z_content.unsqueeze(1).expand(batch, num_frames, self.content_dim)]\n",
         "        z_content = torch.randn(batch, num_frames, self.content_dim, generator=generator)\n"
         "        parts = [z_content]\n")]
